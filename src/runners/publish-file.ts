/**
 * Put an attempt's checked file at its public name (outputs/<id>.mp4) before the fenced move to
 * `completed`, so a client that reads "completed" can always download it, and take it back when
 * that move is refused (the attempt lost its lease meanwhile). `link()` never replaces a name:
 * an existing file there is a leftover of an earlier attempt of this task (the caller holds its
 * lease and the task is not completed), removed before the link. Withdrawing removes the file
 * only while it is still this attempt's (same inode), never one another attempt put there since.
 */
import { link, rm, stat } from 'node:fs/promises';

export interface Published {
  path: string;
  ino: number;
}

export async function publishFile(from: string, to: string): Promise<Published> {
  try {
    await link(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    await rm(to, { force: true });
    await link(from, to);
  }
  return { path: to, ino: (await stat(to)).ino };
}

export async function withdrawFile(p: Published): Promise<void> {
  const now = await stat(p.path).catch(() => null);
  if (now && now.ino === p.ino) await rm(p.path, { force: true });
}
