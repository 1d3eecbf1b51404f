/**
 * The files a deleted task leaves behind (DELETE /api/tasks/:id): everything in the data dir's
 * per-task folders whose name starts with one of its ids (the task and its segments) — the
 * upload, the speech, the video, the scratch dir. The same rule as file retention: only names
 * that start with a task id are touched, so shared files (a library avatar's video, the
 * containers' caches) never are.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Removes the ids' files from each dir; the number of entries removed. */
export async function removeTaskFiles(dirs: readonly string[], ids: readonly string[]): Promise<number> {
  if (!ids.length) return 0;
  let removed = 0;
  for (const dir of dirs) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!ids.some((id) => name.startsWith(id))) continue;
      await rm(join(dir, name), { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}
