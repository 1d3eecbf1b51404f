import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NICENESS, niceCommand, runProcess, setDefaultNiceness } from './process.js';

describe('runProcess priority', () => {
  const base = getPriority();

  it('runs children at a lower priority by default (nice 10 on top of ours)', async () => {
    // `nice` with no arguments prints the niceness it runs at: here, the child's own.
    const { stdout } = await runProcess('nice', []);
    expect(Number(stdout.trim())).toBe(Math.min(19, base + 10));
    const same = await runProcess('nice', [], { niceness: 0 });
    expect(Number(same.stdout.trim())).toBe(base);
  });

  it('takes the process-wide default from config (media.niceness)', async () => {
    try {
      setDefaultNiceness(3);
      expect(Number((await runProcess('nice', [])).stdout.trim())).toBe(Math.min(19, base + 3));
    } finally {
      setDefaultNiceness(DEFAULT_NICENESS);
    }
  });

  it('builds an argument array (never a shell string), and falls back when nice is missing', () => {
    expect(niceCommand('ffmpeg', ['-i', 'a b.mp4'], 10, '/usr/bin/nice')).toEqual({ file: '/usr/bin/nice', args: ['-n', '10', 'ffmpeg', '-i', 'a b.mp4'], viaNice: true });
    expect(niceCommand('ffmpeg', ['-y'], 10, null)).toEqual({ file: 'ffmpeg', args: ['-y'], viaNice: false });
    expect(niceCommand('ffmpeg', ['-y'], 0, '/usr/bin/nice').viaNice).toBe(false);
  });

  it('still reports a missing program as a spawn fault', async () => {
    await expect(runProcess('/nonexistent/heygem-tool', ['--version'])).rejects.toMatchObject({ kind: 'spawn' });
    await expect(runProcess('/nonexistent/heygem-tool', [], { niceness: 0 })).rejects.toMatchObject({ kind: 'spawn' });
  });
});
