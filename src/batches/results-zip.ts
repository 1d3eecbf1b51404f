/**
 * The entries of a results ZIP (a batch's, GET /api/batches/:id/results.zip, or a selection of
 * tasks', GET /api/tasks/results.zip): each finished video under a readable name, its captions
 * beside it as WebVTT (`<name>.vtt`), and last a `manifest.csv` saying which file is which row or
 * task. Unfinished tasks are listed in the manifest without a file, so the archive accounts
 * for every row asked for.
 */
import type { Task } from '../domain/task.js';
import type { ZipEntry } from './zip-writer.js';
import { csvOf, UniqueNames } from './zip-names.js';

export interface ResultItem {
  task: Task | undefined;
  /** What the file is named after (the label of `name_by`, else the title or text). */
  label: string;
  /** Keeps the caller's order visible in a file list (`007-`); '' for none. */
  prefix: string;
  /** After the label (`-2026-12-07`); '' for none. */
  suffix?: string;
  /** The item's own manifest columns (before `file`, `captions`, `status`). */
  columns: Array<string | number | null>;
}

export interface ResultSources {
  /** The finished MP4 of a task. */
  videoPath(task: Task): string;
  /** The task's captions as WebVTT, null when it has none. */
  vtt(task: Task): Promise<string | null>;
}

/** `missing`: the manifest's status of an item without a task (purged, or not the caller's). */
export async function* resultEntries(items: Iterable<ResultItem>, header: readonly string[], src: ResultSources, missing = 'expired'): AsyncGenerator<ZipEntry> {
  const names = new UniqueNames();
  const lines: Array<Array<string | number | null>> = [];
  for (const it of items) {
    const done = it.task?.state === 'completed' && !!it.task.outputPath;
    if (!done || !it.task) {
      lines.push([...it.columns, null, null, it.task?.state ?? missing]);
      continue;
    }
    const name = names.take(it.label, it.prefix, it.suffix);
    yield { name: `${name}.mp4`, path: src.videoPath(it.task) };
    const vtt = await src.vtt(it.task).catch(() => null);
    if (vtt) yield { name: `${name}.vtt`, data: Buffer.from(vtt, 'utf8') };
    lines.push([...it.columns, `${name}.mp4`, vtt ? `${name}.vtt` : null, it.task.state]);
  }
  // UTF-8 with a BOM: spreadsheet programs then read Chinese text as Chinese
  yield { name: 'manifest.csv', data: Buffer.from(`\uFEFF${csvOf([...header, 'file', 'captions', 'status'], lines)}`, 'utf8') };
}
