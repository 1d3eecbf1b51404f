import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResultFileSignal } from './result-file-signal.js';

const dir = () => mkdtempSync(join(tmpdir(), 'hg-signal-'));
const never = new AbortController().signal;

describe('result file signal', () => {
  it('wakes a long wait when the file appears (fs.watch)', async () => {
    const d = dir();
    const s = await ResultFileSignal.open(d, 'a-r.mp4', { enabled: true, fallbackMs: 25 });
    expect(s.watching).toBe(true);
    expect(s.seen).toBe(false);
    const waiting = s.wait(60_000, never).then(() => s.seen);
    writeFileSync(join(d, 'other.mp4'), 'x');
    writeFileSync(join(d, 'a-r.mp4'), 'x');
    expect(await waiting).toBe(true);
    s.close();
  });

  it('sees a file that was already there, and ignores other files', async () => {
    const d = dir();
    writeFileSync(join(d, 'a-r.mp4'), 'x');
    const s = await ResultFileSignal.open(d, 'a-r.mp4', { enabled: true, fallbackMs: 25 });
    expect(s.seen).toBe(true);
    s.close();
    const t = await ResultFileSignal.open(d, 'b-r.mp4', { enabled: true, fallbackMs: 25 });
    await t.wait(30, never);
    expect(t.seen).toBe(false);
    t.close();
  });

  it('falls back to looking with stat() when the folder cannot be watched', async () => {
    const d = join(dir(), 'not-yet');
    const s = await ResultFileSignal.open(d, 'a-r.mp4', { enabled: true, fallbackMs: 10 });
    expect(s.watching).toBe(false);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(d);
    const waiting = s.wait(60_000, never).then(() => s.seen);
    writeFileSync(join(d, 'a-r.mp4'), 'x');
    expect(await waiting).toBe(true);
    s.close();
  });

  it('disabled: never fires; an abort rejects the wait', async () => {
    const d = dir();
    const s = await ResultFileSignal.open(d, 'a-r.mp4', { enabled: false, fallbackMs: 10 });
    writeFileSync(join(d, 'a-r.mp4'), 'x');
    await s.wait(20, never);
    expect(s.seen).toBe(false);
    const ac = new AbortController();
    const waiting = s.wait(60_000, ac.signal);
    ac.abort(new Error('cancel'));
    await expect(waiting).rejects.toThrow('cancel');
  });
});
