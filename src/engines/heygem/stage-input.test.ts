import { mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stageInput } from './stage-input.js';

describe('stageInput', () => {
  it('links the input into a (new) temp dir; removing the link keeps the original', async () => {
    const base = mkdtempSync(join(tmpdir(), 'hg-stage-'));
    const src = join(base, 'speech.wav');
    writeFileSync(src, 'RIFF');
    const dir = join(base, 'gpu0', 'temp');
    await stageInput(src, dir, 't1.wav');
    expect(statSync(join(dir, 't1.wav')).ino).toBe(statSync(src).ino);
    await rm(join(dir, 't1.wav'));
    expect(readFileSync(src, 'utf8')).toBe('RIFF');
  });

  it('replaces a leftover (even a planted symlink) instead of writing through it', async () => {
    const base = mkdtempSync(join(tmpdir(), 'hg-stage-'));
    const src = join(base, 'face.mp4');
    const victim = join(base, 'victim');
    writeFileSync(src, 'face');
    writeFileSync(victim, 'keep me');
    symlinkSync(victim, join(base, 't2.mp4'));
    await stageInput(src, base, 't2.mp4');
    expect(readFileSync(join(base, 't2.mp4'), 'utf8')).toBe('face');
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
  });

  it('fails like a copy when the input does not exist', async () => {
    const base = mkdtempSync(join(tmpdir(), 'hg-stage-'));
    await expect(stageInput(join(base, 'missing.wav'), base, 't3.wav')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  // Needs two file systems: /dev/shm (tmpfs) next to the temp dir, where this host has them.
  const otherFs = (() => {
    try {
      return statSync('/dev/shm').dev !== statSync(tmpdir()).dev ? '/dev/shm' : null;
    } catch {
      return null;
    }
  })();
  it.skipIf(!otherFs)('copies when the data dir is on another file system', async () => {
    const src = join(mkdtempSync(join(tmpdir(), 'hg-stage-')), 'speech.wav');
    writeFileSync(src, 'RIFF');
    const dir = mkdtempSync(join(otherFs!, 'hg-stage-'));
    try {
      await stageInput(src, dir, 't4.wav');
      expect(readFileSync(join(dir, 't4.wav'), 'utf8')).toBe('RIFF');
      expect(statSync(join(dir, 't4.wav')).ino).not.toBe(statSync(src).ino);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
