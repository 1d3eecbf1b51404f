/** publish-file.ts: a checked upload is at its public name before "completed", and withdrawn without touching another attempt's file. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { publishFile, withdrawFile } from '../src/runners/publish-file.js';

let dir = '';
afterEach(async () => dir && rm(dir, { recursive: true, force: true }));

describe('publishing an upload at its public name', () => {
  it('links the file there, replacing a leftover of an earlier attempt', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hg-publish-'));
    const [up, out] = [join(dir, 'upload-a2.mp4'), join(dir, 'task.mp4')];
    await writeFile(up, 'attempt 2');
    await writeFile(out, 'leftover of attempt 1');
    await publishFile(up, out);
    expect(await readFile(out, 'utf8')).toBe('attempt 2');
  });

  it('withdraws only its own file: one another attempt put there since stays', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hg-publish-'));
    const [mine, theirs, out] = [join(dir, 'a2.mp4'), join(dir, 'a3.mp4'), join(dir, 'task.mp4')];
    await writeFile(mine, 'attempt 2');
    await writeFile(theirs, 'attempt 3');
    const p = await publishFile(mine, out);
    await withdrawFile(p);
    await expect(readFile(out)).rejects.toThrow();
    const again = await publishFile(mine, out);
    await publishFile(theirs, out); // attempt 3 took over the name
    await withdrawFile(again);
    expect(await readFile(out, 'utf8')).toBe('attempt 3');
  });
});
