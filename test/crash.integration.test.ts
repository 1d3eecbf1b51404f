/**
 * Process-level faults: the real CLI (`serve`) as a child process in front of protocol fakes
 * running in the test process. kill -9 mid-flight (queued, TTS, rendering) → restart → every
 * task ends completed or failed with a reason, none lost, none rendered twice, no slot held.
 * SIGTERM/SIGINT → stop accepting, finish within the grace period or hand the work back, close
 * the database cleanly.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulatedFarm } from '../src/simulate/simulate.js';
import { faceVideoWithAudio, ffprobeJson } from './helpers/fixtures.js';
import { FAST_HEYGEM, FINAL, getStatus, submit, waitFinal, waitFor } from './helpers/gateway.js';
import { freePort, startServe, startServeKilledOnCleanup, writeConfig, type ServeProcess } from './helpers/process.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function farmAndConfig(gpus: number, farmOpts: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  await faceVideoWithAudio(2);
  const dir = mkdtempSync(join(tmpdir(), 'hg-crash-'));
  const farm = await startSimulatedFarm({ gpus, baseDir: join(dir, 'farm'), host: '127.0.0.1', ...farmOpts });
  cleanups.push(() => farm.close());
  const port = await freePort();
  const { server, ...rest } = extra as { server?: Record<string, unknown> };
  const config = writeConfig(dir, {
    server: { host: '127.0.0.1', port, ...server },
    dataDir: join(dir, 'data'),
    engine: 'heygem',
    slots: farm.slots.map((s) => ({ id: s.id, video: { url: s.video.url, dataDir: s.videoDataDir }, tts: { url: s.tts.url, dataDir: s.ttsDataDir } })),
    heygem: FAST_HEYGEM,
    scheduler: { retryBaseDelayMs: 20, healthProbeIntervalMs: 200 },
    ...rest,
  });
  return { farm, dir, port, config, dataDir: join(dir, 'data') };
}

const serve = (config: string, port: number, args: string[] = []): Promise<ServeProcess> => startServeKilledOnCleanup(cleanups, config, port, args);

const phases = async (url: string, ids: string[]) => Promise.all(ids.map(async (id) => String((await getStatus(url, id)).phase)));

describe('kill -9 and restart', () => {
  it('loses nothing, renders nothing twice, holds no slot', async () => {
    const { farm, config, port, dataDir } = await farmAndConfig(2, { renderMs: 1500, ttsMs: 400 });
    const first = await serve(config, port);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(String((await submit(first.url, `Crash test number ${i}.`)).body.task_id));
    // Kill while tasks are rendering (accepted by a container), in TTS and still queued.
    await waitFor(async () => {
      const p = await phases(first.url, ids);
      return p.includes('rendering') && p.includes('tts') && p.includes('queued');
    }, 20_000, 20);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await serve(config, port);
    const finals = await Promise.all(ids.map((id) => waitFinal(second.url, id, 60_000)));
    for (const s of finals) {
      expect(FINAL.has(String(s.status))).toBe(true);
      if (s.status !== 'completed') expect(s.error_code, JSON.stringify(s)).toBeTruthy();
    }
    expect(finals.filter((s) => s.status === 'completed').length).toBe(8);
    // Re-attached by code: every task was submitted to a container exactly once.
    expect(farm.slots.reduce((n, s) => n + s.video.stats().submits, 0)).toBe(8);
    const q = (await (await fetch(`${second.url}/api/queue`)).json()) as { gpus: Record<string, { busy: boolean }>; queue_size: number };
    expect(Object.values(q.gpus).every((g) => !g.busy)).toBe(true);
    expect(q.queue_size).toBe(0);
    for (const id of ids) {
      const probe = await ffprobeJson(join(dataDir, 'outputs', `${id}.mp4`));
      expect(probe.streams.map((x) => x.codec_type).sort()).toEqual(['audio', 'video']);
    }
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 120_000);
});

describe('graceful shutdown', () => {
  it('SIGTERM: stops accepting, lets the running task finish within the grace, closes the DB cleanly', async () => {
    const { config, port, dataDir } = await farmAndConfig(1, { renderMs: 1200, ttsMs: 50 }, { server: { shutdownGraceMs: 8000 } });
    const p = await serve(config, port);
    const id = String((await submit(p.url, 'Let me finish.')).body.task_id);
    await waitFor(async () => (await getStatus(p.url, id)).phase === 'rendering', 10_000, 20);
    const sse = await fetch(`${p.url}/api/events`); // an open stream must not hold shutdown
    expect(sse.status).toBe(200);
    const t0 = Date.now();
    p.child.kill('SIGTERM');
    await waitFor(async () => fetch(`${p.url}/api/health`).then(() => false, () => true), 5000, 20); // stops accepting
    const exit = await p.exited;
    expect(exit.code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(8000);
    const db = new Database(join(dataDir, 'gateway.db'), { readonly: true });
    expect((db.prepare('SELECT state FROM tasks WHERE id = ?').get(id) as { state: string }).state).toBe('completed');
    db.close();
    // A clean close checkpoints the WAL: nothing is left to replay.
    const wal = join(dataDir, 'gateway.db-wal');
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
  }, 60_000);

  it('SIGINT with a short grace: hands the render back; the next start re-attaches without rendering twice', async () => {
    const { farm, config, port, dataDir } = await farmAndConfig(1, { renderMs: 2500, ttsMs: 50 });
    const p = await serve(config, port, ['--grace-ms', '200']);
    const id = String((await submit(p.url, 'Hand me back.')).body.task_id);
    await waitFor(async () => (await getStatus(p.url, id)).phase === 'rendering', 10_000, 20);
    await new Promise((r) => setTimeout(r, 100));
    p.child.kill('SIGINT');
    expect((await p.exited).code).toBe(0);
    const db = new Database(join(dataDir, 'gateway.db'), { readonly: true });
    expect((db.prepare('SELECT state FROM tasks WHERE id = ?').get(id) as { state: string }).state).toBe('rendering');
    db.close();
    const again = await serve(config, port);
    expect((await waitFinal(again.url, id, 30_000)).status).toBe('completed');
    expect(farm.slots[0].video.stats().submits).toBe(1);
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
  }, 60_000);
});

describe('startup', () => {
  it('refuses to listen beyond loopback without an API key', async () => {
    const { config, port } = await farmAndConfig(1, {}, { server: { host: '0.0.0.0' } });
    await expect(startServe(config, port)).rejects.toThrow(/keys create --name admin --scopes admin/);
  }, 30_000);
});
