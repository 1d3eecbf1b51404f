/** Staging a task's inputs in a video container's data dir (see video.adapter.ts). */
import { existsSync, linkSync, mkdirSync, rmSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Put an input into the container's temp/ under its per-task name. A hard link costs one
 * system call whatever the file size and keeps the hand-over to the next job short (the GPU is
 * idle meanwhile); the container only reads it, and removing the link leaves the original. When
 * the data dirs are on different file systems (or links are refused), copy instead.
 */
export async function stageInput(from: string, dir: string, name: string): Promise<void> {
  const to = join(dir, name);
  try {
    linkSync(from, to);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') rmSync(to, { force: true });
    else if (code === 'ENOENT' && existsSync(from)) mkdirSync(dir, { recursive: true });
  }
  try {
    linkSync(from, to);
  } catch {
    await mkdir(dir, { recursive: true });
    await copyFile(from, to);
  }
}
