/**
 * The containers' host data dirs are never created by the gateway: `serve` refuses to start
 * and `doctor` says FAIL with the command that creates them (config/container-dirs.ts). The
 * gateway's own data dir may still be created.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../src/cli/doctor.command.js';
import { ContainerDirError } from '../src/config/container-dirs.js';
import { loadConfig } from '../src/config/load.js';
import { createGateway } from '../src/gateway.js';

function config(base: string) {
  const slot = (n: number) => ({ id: n, video: { url: `http://127.0.0.1:${9 + n}`, dataDir: join(base, `gpu${n}`) }, tts: { url: `http://127.0.0.1:${19 + n}`, dataDir: join(base, `tts${n}`) } });
  return loadConfig({ env: {} as NodeJS.ProcessEnv, inline: { dataDir: join(base, 'data'), engine: 'heygem', slots: [slot(0), slot(1)], telemetry: { gpu: 'off' } } });
}

describe('container host data dirs', () => {
  it('a missing one stops the start with the fix, and nothing is created', async () => {
    const base = mkdtempSync(join(tmpdir(), 'hg-cdirs-'));
    mkdirSync(join(base, 'gpu0'));
    mkdirSync(join(base, 'tts0'));
    mkdirSync(join(base, 'tts1'));
    let err: unknown;
    try {
      await createGateway(config(base), { log: pino({ level: 'silent' }) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ContainerDirError);
    const msg = (err as Error).message;
    expect(msg).toContain(`GPU 1 video data dir (slots[1].video.dataDir): ${join(base, 'gpu1')} does not exist`);
    expect(msg).toMatch(new RegExp(`create it owned by the gateway user: mkdir -p ${join(base, 'gpu1')} && chown \\S+ ${join(base, 'gpu1')}`));
    expect(msg).not.toContain('tts1');
    expect(existsSync(join(base, 'gpu1'))).toBe(false);
  });

  it('doctor says FAIL with the fix instead of creating it; the gateway data dir may be created', async () => {
    const base = mkdtempSync(join(tmpdir(), 'hg-cdirs-'));
    const checks = await runChecks(config(base));
    const dirs = checks.filter((c) => /data dir$/.test(c.name) && c.name.startsWith('GPU'));
    expect(dirs.map((c) => [c.name, c.status])).toEqual([
      ['GPU 0 video data dir', 'fail'],
      ['GPU 0 TTS data dir', 'fail'],
      ['GPU 1 video data dir', 'fail'],
      ['GPU 1 TTS data dir', 'fail'],
    ]);
    expect(dirs[0].fix).toMatch(/^create it owned by the gateway user: mkdir -p .*gpu0 && chown /);
    for (const d of ['gpu0', 'tts0', 'gpu1', 'tts1']) expect(existsSync(join(base, d))).toBe(false);
    expect(checks.find((c) => c.name === 'data dir')?.status).toBe('pass');
    expect(existsSync(join(base, 'data'))).toBe(true);
  });
});
