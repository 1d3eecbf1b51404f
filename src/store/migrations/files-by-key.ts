/**
 * Files by key (docs/runners.md): task records name their files relative to the data dir
 * (`uploads/<id>.mp4`, `outputs/<id>.mp4`, `outputs/<id>.wav`, `work/<id>/reference.wav`,
 * `assets/<file>`), resolved by each process against its own dataDir — so records stay valid
 * when the data dir moves, and no record holds a host path. This converts the absolute paths
 * older versions wrote, recognised by the data dir's fixed layout (the directory right above
 * the file name). Paths outside that layout (a slot's default voice elsewhere) stay absolute.
 */

/** SQLite has no regex: basename(x) = replace(x, rtrim(x, replace(x, '/', '')), ''). */
const base = (col: string) => `replace(${col}, rtrim(${col}, replace(${col}, '/', '')), '')`;
/** The path without its file name (…/uploads/ for …/uploads/x.mp4). */
const dir = (col: string) => `rtrim(${col}, replace(${col}, '/', ''))`;

function sqliteFlat(col: string, folders: string[]): string {
  return folders
    .map((f) => `UPDATE tasks SET ${col} = '${f}/' || ${base(col)} WHERE ${col} LIKE '/%' AND ${dir(col)} LIKE '%/${f}/';`)
    .join('\n');
}

export const SQLITE_FILES_BY_KEY = `
${sqliteFlat('video_path', ['uploads'])}
${sqliteFlat('audio_path', ['outputs', 'assets'])}
${sqliteFlat('output_path', ['outputs'])}
${sqliteFlat('reference_audio', ['assets'])}
UPDATE tasks SET reference_audio = 'work/' || id || '/' || ${base('reference_audio')}
 WHERE reference_audio LIKE '/%' AND ${dir('reference_audio')} LIKE '%/work/' || id || '/';
`;

const pgFlat = (col: string, folders: string) => `UPDATE tasks SET ${col} = regexp_replace(${col}, '^/.*/(${folders})/([^/]+)$', '\\1/\\2') WHERE ${col} ~ '^/.*/(${folders})/[^/]+$';`;

export const POSTGRES_FILES_BY_KEY = `
${pgFlat('video_path', 'uploads')}
${pgFlat('audio_path', 'outputs|assets')}
${pgFlat('output_path', 'outputs')}
${pgFlat('reference_audio', 'assets')}
UPDATE tasks SET reference_audio = 'work/' || id || '/' || regexp_replace(reference_audio, '^.*/', '')
 WHERE reference_audio ~ ('^/.*/work/' || id || '/[^/]+$');
`;
