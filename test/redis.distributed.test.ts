/**
 * Several processes, one queue: an API-only gateway and two workers share a Redis store
 * (real Redis on loopback) and a data dir. Every task runs exactly once.
 */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { createGateway, type Gateway } from '../src/gateway.js';
import { RedisTaskStore } from '../src/store/redis.adapter.js';
import { InertMedia, scriptedSlots, type Timeline } from '../src/runner/test-doubles.js';
import { startTestGateway, submit, waitFinal, type TestGateway } from './helpers/gateway.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

describe('shared Redis store', () => {
  it('an API-only gateway queues, two workers with distinct slots run every task once', async () => {
    const prefix = `hgdist-${randomBytes(5).toString('hex')}`;
    const store = { driver: 'redis', redisPrefix: prefix };
    const api: TestGateway = await startTestGateway({ store, scheduler: { enabled: false } }, { media: new InertMedia() });
    cleanups.push(() => api.close());
    const tl: Timeline = { events: [] };
    const workers: Gateway[] = [];
    for (const base of [0, 10]) {
      const engines = scriptedSlots(2, { ttsMs: 10, renderMs: 30 }, tl).map((e) => ({ ...e, id: e.id + base }));
      const config = loadConfig({ env: {} as NodeJS.ProcessEnv, inline: { dataDir: api.dataDir, store, scheduler: { sharedPollMs: 20 } } });
      const gw = await createGateway(config, { log: pino({ level: 'silent' }), media: new InertMedia(), slotEngines: engines });
      workers.push(gw);
      cleanups.push(() => gw.close(0));
    }
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(String((await submit(api.url, `distributed ${i}`)).body.task_id));
    const finals = await Promise.all(ids.map((id) => waitFinal(api.url, id, 20000)));
    expect(finals.every((s) => s.status === 'completed')).toBe(true);
    const renders = tl.events.filter((e) => e.what === 'render-start').map((e) => e.taskId);
    expect(renders.length).toBe(12);
    expect(new Set(renders).size).toBe(12);
    const slotsUsed = new Set(finals.map((s) => s.gpu_id));
    expect([...slotsUsed].some((s) => Number(s) >= 10) && [...slotsUsed].some((s) => Number(s) < 10)).toBe(true);
    cleanups.push(async () => {
      const s = new RedisTaskStore({ url: 'redis://127.0.0.1:6379', prefix });
      await s.flush();
      await s.close();
    });
  });
});
