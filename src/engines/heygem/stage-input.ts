/** Staging a task's inputs in a video container's data dir (see video.adapter.ts). */
import { existsSync, linkSync, mkdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

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

/** Container-side name of a library input: its content hash, never anything a user typed. */
export const sharedInputName = (contentHash: string, ext: string): string => `lib-${contentHash}${ext}`;
/** Matches sharedInputName: the hash is group 1. */
export const SHARED_INPUT = /^lib-([0-9a-f]{64})\.[a-z0-9]+$/;

/**
 * Put a library input (avatar face, voice) into a container dir under its content-hash name,
 * once: a copy already there is reused by every later task on this container, so it is not
 * removed after the task (the library prunes it when nothing references it any more). Written
 * under a temp name and renamed, so a reader never sees half a file. Returns true when it staged.
 */
export async function stageShared(from: string, dir: string, name: string): Promise<boolean> {
  const to = join(dir, name);
  const [have, want] = await Promise.all([stat(to).catch(() => null), stat(from)]);
  if (have && have.size === want.size) return false;
  const tmp = `${to}.tmp-${randomBytes(4).toString('hex')}`;
  await mkdir(dir, { recursive: true });
  try {
    await stageInput(from, dir, basename(tmp));
    await rename(tmp, to);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return true;
}
