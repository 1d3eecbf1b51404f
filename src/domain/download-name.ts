/**
 * The file name a finished video downloads as: `<first words>-<date>.mp4` instead of
 * `heygem-<id>.mp4`, so a folder of downloads reads like a list of scripts. Pure.
 *
 * The `Content-Disposition` carries two names (RFC 6266): `filename="…"` in plain ASCII for old
 * clients, and `filename*=UTF-8''…` with the text's own letters (Chinese titles stay Chinese).
 * Only letters and digits of the text get in — no quotes, slashes, dots or control characters —
 * so the name can neither break the header nor name a path.
 */

const MAX_WORDS = 6;
/** Characters of the title before the date: short enough for any file system and a file list. */
const MAX_CHARS = 40;

/** Letters and digits in runs, split at everything else; a Han run is cut by characters, not words. */
export function titleOf(text: string): string {
  const words = text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
  const out: string[] = [];
  let length = 0;
  for (const w of words.slice(0, MAX_WORDS)) {
    const room = MAX_CHARS - length - (out.length ? 1 : 0);
    if (room <= 0) break;
    const cut = [...w].slice(0, room).join('');
    out.push(cut.toLowerCase());
    length += (out.length > 1 ? 1 : 0) + [...cut].length;
    if ([...w].length > room) break;
  }
  return out.join('-');
}

/** The ASCII form: accents dropped (é → e), other letters gone. */
function asciiOf(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[^a-z0-9-]+/g, '')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '');
}

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function downloadName(text: string, createdAtMs: number, ext = 'mp4'): { unicode: string; ascii: string } {
  const date = dateOf(createdAtMs);
  const title = titleOf(text);
  const ascii = asciiOf(title);
  return { unicode: `${title || 'video'}-${date}.${ext}`, ascii: `${ascii || 'video'}-${date}.${ext}` };
}

/** RFC 5987 value: UTF-8, percent-encoded beyond the attr-chars. */
const encode5987 = (s: string) => encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `ext`: the delivered format's extension (`mp4`, or `webm` for output format webm). */
export function contentDisposition(text: string, createdAtMs: number, ext = 'mp4'): string {
  const n = downloadName(text, createdAtMs, ext);
  return `attachment; filename="${n.ascii}"; filename*=UTF-8''${encode5987(n.unicode)}`;
}
