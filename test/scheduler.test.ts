/**
 * Scheduler and slot runners against scripted engines (no HTTP, no ffmpeg): pipelining, slot
 * exclusivity, release on every exit path, retries, cancel. Real SQLite store.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { TaskError } from '../src/domain/errors.js';
import { newTaskId } from '../src/domain/ids.js';
import { createGateway, type Gateway } from '../src/gateway.js';
import { InertMedia, scriptedSlots, type Script, type Timeline } from './doubles/scripted-engines.js';
import { waitFor } from './helpers/gateway.js';

const open: Gateway[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close(0);
});

async function gateway(slots: number, script: Script, scheduler: Record<string, unknown> = {}) {
  const tl: Timeline = { events: [] };
  const engines = scriptedSlots(slots, script, tl);
  const config = loadConfig({ env: {} as NodeJS.ProcessEnv, inline: { dataDir: mkdtempSync(join(tmpdir(), 'hg-sched-')), scheduler: { retryBaseDelayMs: 5, ...scheduler }, checks: { output: { enabled: false } } } });
  const gw = await createGateway(config, { log: pino({ level: 'silent' }), media: new InertMedia(), slotEngines: engines });
  open.push(gw);
  const add = async (n: number, notify = true) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const t = await gw.store.create({ id: newTaskId(), text: `task ${i}`, createdAt: Date.now() });
      gw.lifecycle.accepted(t);
      ids.push(t.id);
    }
    if (notify) gw.scheduler.notify();
    return ids;
  };
  const allFinal = (ids: string[]) => waitFor(async () => {
    const ts = await Promise.all(ids.map((id) => gw.store.get(id)));
    return ts.every((t) => t && ['completed', 'failed', 'canceled'].includes(t.state)) ? ts.map((t) => t!) : undefined;
  }, 20000, 10);
  return { gw, tl, engines, add, allFinal };
}

describe('scheduler', () => {
  it('keeps every slot busy, never double-books a video container, releases all slots', async () => {
    const { gw, engines, add, allFinal } = await gateway(3, { ttsMs: 10, renderMs: 40 });
    const ids = await add(12);
    const tasks = await allFinal(ids);
    expect(tasks.every((t) => t.state === 'completed')).toBe(true);
    expect(engines.every((e) => e.video.maxActive === 1)).toBe(true);
    expect(new Set(tasks.map((t) => t.slotId)).size).toBe(3);
    // The final state is recorded just before the runner lets go of the task: wait for that.
    await waitFor(async () => gw.scheduler.runners.every((r) => !r.busy));
    expect(await gw.store.queueSize()).toBe(0);
  });

  it('pipelines: the next task speaks while the current one renders', async () => {
    // The first render ends only once the second task's TTS has started, or after a bound: a
    // scheduler that does not pipeline then fails the ordering below instead of racing timers.
    let ids: string[] = [];
    const ttsStarted = (id: string) => tl.events.some((e) => e.taskId === id && e.what === 'tts-start');
    const renderGate = async (id: string) => {
      if (id !== ids[0]) return;
      await waitFor(async () => ttsStarted(ids[1]), 5000, 5).catch(() => undefined);
    };
    const { tl, add, allFinal } = await gateway(1, { ttsMs: 30, renderMs: 10, renderGate });
    ids = await add(3);
    await allFinal(ids);
    const at = (id: string, what: string) => tl.events.find((e) => e.taskId === id && e.what === what)!.at;
    // task 2's TTS starts before task 1's render ends
    expect(at(ids[1], 'tts-start')).toBeLessThan(at(ids[0], 'render-end'));
    // and its render starts right when task 1's render ends
    expect(at(ids[1], 'render-start')).toBeGreaterThanOrEqual(at(ids[0], 'render-end'));
  });

  it('runs one task at a time per slot with pipelining off', async () => {
    const { tl, add, allFinal } = await gateway(1, { ttsMs: 20, renderMs: 40 }, { pipelining: false });
    const ids = await add(3);
    await allFinal(ids);
    const at = (id: string, what: string) => tl.events.find((e) => e.taskId === id && e.what === what)!.at;
    expect(at(ids[1], 'tts-start')).toBeGreaterThanOrEqual(at(ids[0], 'render-end'));
  });

  it('fails permanent faults at once, retries transient ones, and frees the slot either way', async () => {
    let flaky = 0;
    const { gw, add, allFinal } = await gateway(1, {
      ttsMs: 5,
      renderMs: 10,
      renderFault: (id) => (id === bad ? new TaskError('render_failed', 'no face found') : undefined),
      ttsFault: (id) => (id === transient && flaky++ === 0 ? new TaskError('engine_unreachable', 'down', { retryable: true }) : undefined),
    });
    let bad = '';
    let transient = '';
    [bad, transient] = await add(2, false); // ids known before any task runs
    gw.scheduler.notify();
    const [b, t] = await allFinal([bad, transient]);
    const byId = new Map([b, t].map((x) => [x.id, x]));
    expect(byId.get(bad)!.state).toBe('failed');
    expect(byId.get(bad)!.errorCode).toBe('render_failed');
    expect(byId.get(bad)!.attempts).toBe(1);
    expect(byId.get(transient)!.state).toBe('completed');
    expect(byId.get(transient)!.attempts).toBe(1);
    await waitFor(async () => !gw.scheduler.runners[0].busy);
    const events = (await gw.store.events(transient)).map((e) => e.state);
    expect(events).toContain('queued');
    expect(events.at(-1)).toBe('completed');
  });

  it('cancel during TTS ends the task and frees the slot for the next one', async () => {
    // TTS that only ends when aborted: the cancel can never arrive "too late" on a slow machine.
    const { gw, add, allFinal } = await gateway(1, { ttsMs: 600_000, renderMs: 10 }, { pipelining: false });
    const [a, b] = await add(2);
    await waitFor(async () => (await gw.store.get(a))?.state === 'tts');
    await gw.lifecycle.cancel(a);
    await waitFor(async () => (await gw.store.get(b))?.state === 'tts');
    await gw.lifecycle.cancel(b);
    const [ta, tb] = await allFinal([a, b]);
    expect(ta.state).toBe('canceled');
    expect(tb.state).toBe('canceled');
    await waitFor(async () => !gw.scheduler.runners[0].busy);
  });

  it('marks a slot unhealthy after repeated engine faults and lets the other slot finish the work', async () => {
    const { gw, add, allFinal } = await gateway(
      2,
      { ttsMs: 5, renderMs: 10 },
      { unhealthyAfterFailures: 1, maxAttempts: 10, healthProbeIntervalMs: 60000 },
    );
    (gw.scheduler.runners[1].engines.speech as { synthesize: unknown }).synthesize = async () => {
      throw new TaskError('engine_unreachable', 'TTS down', { retryable: true });
    };
    const ids = await add(6);
    const tasks = await allFinal(ids);
    expect(tasks.every((t) => t.state === 'completed')).toBe(true);
    expect(gw.scheduler.runners[1].healthy).toBe(false);
  });
});
