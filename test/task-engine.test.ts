/**
 * The task engine's fencing, leases and reaper (docs/lifecycle.md), end to end through the
 * HTTP API with in-process engines: a canceled attempt that answers late changes nothing, a
 * holder that stops renewing loses its task to the reaper, a crash loop ends failed, and after a
 * store outage the reaper lets live holders renew the leases that ran out before it reaps.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskError } from '../src/domain/errors.js';
import { newTaskId } from '../src/domain/ids.js';
import { fenceOf, renderCode } from '../src/domain/task.js';
import { SqliteTaskStore } from '../src/store/sqlite.adapter.js';
import type { TaskStore } from '../src/store/task-store.js';
import { InertMedia, ScriptedSpeech } from './doubles/scripted-engines.js';
import { ControlledVideo } from './doubles/controlled-video.js';
import { getStatus, startTestGateway, submit, waitFinal, waitFor, type TestGateway } from './helpers/gateway.js';

let t: TestGateway | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function controlledSlots(n: number) {
  const tl = { events: [] };
  return Array.from({ length: n }, (_, id) => ({
    id,
    speech: new ScriptedSpeech(id, { ttsMs: 1, renderMs: 1 }, tl),
    video: new ControlledVideo(),
    videoPort: null,
    ttsPort: null,
    videoUrl: null,
    ttsUrl: null,
  }));
}

/** The attempt is no longer running on any slot of this node: its ending has been handled. */
const attemptGone = (tg: TestGateway, id: string, attempt: number) =>
  tg.gw.scheduler.runners.every((r) => !r.attempts.some((a) => a.id === id && a.attempt === attempt));

async function post(url: string, path: string): Promise<number> {
  return (await fetch(`${url}${path}`, { method: 'POST' })).status;
}

describe('attempts are fenced', () => {
  it('cancel, then retry while the old render still runs: the new attempt completes; the old one’s late answers change nothing', async () => {
    const slots = controlledSlots(2);
    t = await startTestGateway({ checks: { output: { enabled: false } }, scheduler: { retryBaseDelayMs: 5, heartbeatMs: 50, leaseMs: 5000 } }, { slotEngines: slots, media: new InertMedia() });
    const id = String((await submit(t.url, 'fenced')).body.task_id);
    const first = await waitFor(async () => slots.find((s) => s.video.started.includes(id)));
    await first.video.waitStarted(id);
    expect(await post(t.url, `/api/tasks/${id}/cancel`)).toBe(200);
    expect(await post(t.url, `/api/tasks/${id}/retry`)).toBe(202);
    // The retry is attempt 2, with its own render code (the container may still hold attempt 1's job).
    const code2 = renderCode({ id, attempt: 2 });
    const second = await waitFor(async () => slots.find((s) => s.video.started.includes(code2)));
    await second.video.waitStarted(code2);
    const during = await t.gw.store.get(id);
    expect(during).toMatchObject({ state: 'rendering', attempt: 2 });
    // The old attempt's container answers now: first a failure path would have canceled the
    // current attempt before the fix; here it reports success late — neither may count.
    first.video.finish(id);
    await waitFor(async () => attemptGone(t!, id, 1));
    const afterLate = await t.gw.store.get(id);
    expect(afterLate).toMatchObject({ state: 'rendering', attempt: 2, outputPath: null });
    second.video.finish(code2);
    const done = await waitFinal(t.url, id);
    expect(done.status).toBe('completed');
    const events = await t.gw.store.events(id);
    expect(events.filter((e) => e.state === 'completed').map((e) => e.attempt)).toEqual([2]);
    expect(events.filter((e) => e.attempt === 1).map((e) => e.state)).toEqual(['preparing', 'reserved', 'tts', 'rendering', 'canceled', 'queued']);
    expect((await t.gw.store.get(id))?.engineData).toEqual({ code: code2 });
  });

  it('an old attempt failing late does not cancel or fail the new attempt', async () => {
    const slots = controlledSlots(2);
    t = await startTestGateway({ checks: { output: { enabled: false } }, scheduler: { retryBaseDelayMs: 5, heartbeatMs: 50 } }, { slotEngines: slots, media: new InertMedia() });
    const id = String((await submit(t.url, 'late failure')).body.task_id);
    const first = await waitFor(async () => slots.find((s) => s.video.started.includes(id)));
    await first.video.waitStarted(id);
    await post(t.url, `/api/tasks/${id}/cancel`);
    await post(t.url, `/api/tasks/${id}/retry`);
    const code2 = renderCode({ id, attempt: 2 });
    const second = await waitFor(async () => slots.find((s) => s.video.started.includes(code2)));
    await second.video.waitStarted(code2);
    first.video.finish(id, new TaskError('render_failed', 'container gave up', { retryable: true }));
    // Wait until the old attempt has fully ended here (its failure handled), then check nothing moved.
    await waitFor(async () => attemptGone(t!, id, 1));
    expect(await t.gw.store.get(id)).toMatchObject({ state: 'rendering', attempt: 2 });
    second.video.finish(code2);
    expect((await waitFinal(t.url, id)).status).toBe('completed');
    const events = await t.gw.store.events(id);
    expect(events.some((e) => e.attempt === 1 && e.errorCode === 'render_failed')).toBe(false);
    expect(events.filter((e) => e.attempt === 2).map((e) => e.state)).toEqual(['preparing', 'reserved', 'tts', 'rendering', 'collecting', 'completed']);
  });

  it('a progress patch or transition with an old fence is refused by the lifecycle', async () => {
    const slots = controlledSlots(1);
    t = await startTestGateway({ checks: { output: { enabled: false } } }, { slotEngines: slots, media: new InertMedia() });
    const id = String((await submit(t.url, 'stale writer')).body.task_id);
    await slots[0].video.waitStarted(id);
    const live = (await t.gw.store.get(id))!;
    const stale = { ...live, leaseToken: 'e'.repeat(32) };
    expect(await t.gw.lifecycle.progress(stale, { engineProgress: 77 })).toBe(false);
    expect(await t.gw.lifecycle.move(stale, 'collecting')).toBeUndefined();
    expect(await t.gw.lifecycle.failed(stale, new TaskError('render_failed', 'x'))).toBeUndefined();
    expect(await t.gw.store.get(id)).toMatchObject({ state: 'rendering', engineProgress: 20 });
    slots[0].video.finish(id);
    expect((await waitFinal(t.url, id)).status).toBe('completed');
  });
});

describe('leases and the reaper', () => {
  it('a task held by a node that stopped renewing is queued again as attempt n+1 and completes here', async () => {
    const slots = controlledSlots(1);
    t = await startTestGateway({ checks: { output: { enabled: false } }, scheduler: { leaseMs: 300, heartbeatMs: 50, reapIntervalMs: 50, retryBaseDelayMs: 5 } }, { slotEngines: slots, media: new InertMedia() });
    // Another (dead) node claimed it for its slot 7 and vanished.
    const created = await t.gw.store.create({ id: newTaskId(), text: 'orphan', createdAt: Date.now() });
    expect(created.state).toBe('queued');
    // Claim it directly as that node, racing our own scheduler: whichever wins, the task must complete.
    const ghost = await t.gw.store.claimNext({ slotId: 7, holder: 'dead-node', now: Date.now(), leaseMs: 300 });
    if (ghost) {
      const f = fenceOf(ghost)!;
      await t.gw.store.transition(ghost.id, { from: 'preparing', fence: f }, 'reserved', {}, Date.now());
      const code2 = renderCode({ id: ghost.id, attempt: 2 });
      await slots[0].video.waitStarted(code2);
      slots[0].video.finish(code2);
      const done = await waitFinal(t.url, ghost.id);
      expect(done.status).toBe('completed');
      const events = await t.gw.store.events(ghost.id);
      expect(events.find((e) => e.errorCode === 'lease_expired')).toMatchObject({ attempt: 1, state: 'queued' });
      // the dead node's fence is worthless now
      expect(await t.gw.store.heartbeat(ghost.id, f, Date.now(), 1000)).toBe('lost');
    } else {
      await slots[0].video.waitStarted(created.id);
      slots[0].video.finish(created.id);
      expect((await waitFinal(t.url, created.id)).status).toBe('completed');
    }
  });

  it('a running attempt keeps its lease by heartbeats while it waits on the container', async () => {
    const slots = controlledSlots(1);
    t = await startTestGateway({ checks: { output: { enabled: false } }, scheduler: { leaseMs: 200, heartbeatMs: 40, reapIntervalMs: 30 } }, { slotEngines: slots, media: new InertMedia() });
    const id = String((await submit(t.url, 'long render')).body.task_id);
    await slots[0].video.waitStarted(id);
    const firstExpiry = (await t.gw.store.get(id))!.leaseExpiresAt!;
    // Several lease lengths pass while the container works: the lease moves, nothing is reaped.
    await waitFor(async () => ((await t!.gw.store.get(id))!.leaseExpiresAt ?? 0) > firstExpiry + 600, 10_000);
    expect(await t.gw.store.get(id)).toMatchObject({ state: 'rendering', attempt: 1 });
    slots[0].video.finish(id);
    expect((await waitFinal(t.url, id)).status).toBe('completed');
    expect((await t.gw.store.events(id)).some((e) => e.errorCode === 'lease_expired')).toBe(false);
  });

  it('a task whose holders keep dying ends failed (lease_expired) after maxAttempts, instead of looping', async () => {
    t = await startTestGateway({ checks: { output: { enabled: false } }, scheduler: { enabled: true, leaseMs: 100, heartbeatMs: 20, reapIntervalMs: 20, maxAttempts: 3 } }, { slotEngines: [], media: new InertMedia() });
    const task = await t.gw.store.create({ id: newTaskId(), text: 'poison', createdAt: Date.now() });
    // Three nodes in turn claim it and die without a word.
    for (let i = 0; i < 3; i++) {
      const claimed = await waitFor(async () => t!.gw.store.claimNext({ slotId: 100 + i, holder: `doomed-${i}`, now: Date.now(), leaseMs: 100 }));
      expect(claimed).toMatchObject({ id: task.id, attempt: i + 1 });
      if (i < 2) await waitFor(async () => (await t!.gw.store.get(task.id))?.state === 'queued');
    }
    const end = await waitFinal(t.url, task.id);
    expect(end).toMatchObject({ status: 'failed', error_code: 'lease_expired' });
    expect((await getStatus(t.url, task.id)).attempts).toBe(3);
  });
});

describe('the reaper after a store outage', () => {
  /** The gateway's store, switchable off: every call refused as a stopped PostgreSQL would. */
  function switchable(inner: TaskStore) {
    const state = { down: false, reapsAnswered: 0, reapsRefused: 0 };
    const passThrough = new Set(['shared', 'onRemoteChange', 'close']);
    const store = new Proxy(inner, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== 'function' || passThrough.has(String(prop))) return typeof v === 'function' ? v.bind(target) : v;
        return async (...args: unknown[]) => {
          if (state.down && prop === 'listExpired') state.reapsRefused++;
          if (state.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
          const out = await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          if (prop === 'listExpired') state.reapsAnswered++;
          return out;
        };
      },
    });
    return { store, state };
  }

  it('leases that ran out during the outage: a holder that renews once the store is back keeps its attempt; one that never does is reaped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-reap-'));
    // at the gateway's own database path: the webhook outbox reads finished tasks from the same file
    const { store, state } = switchable(new SqliteTaskStore(join(dir, 'gateway.db')));
    // No local slots: only the reaper acts. It waits a heartbeat plus the holders' longest retry
    // backoff (5.5 s here) after the start and after the outage (src/runner/scheduler.ts).
    t = await startTestGateway({ checks: { output: { enabled: false } }, scheduler: { leaseMs: 300, heartbeatMs: 500, reapIntervalMs: 50 } }, { store, slotEngines: [], media: new InertMedia() }, dir);
    const claim = async (holder: string) => {
      await store.create({ id: newTaskId(), text: holder, createdAt: Date.now() });
      return (await store.claimNext({ slotId: holder === 'alive' ? 1 : 2, holder, now: Date.now(), leaseMs: 300 }))!;
    };
    const alive = await claim('alive');
    const dead = await claim('dead');
    state.down = true;
    // Both leases run out while the store is away, the reaper meets the outage, and the wait a
    // start begins with is over.
    const downSince = state.reapsAnswered;
    await waitFor(async () => state.reapsRefused > 0 && Date.now() > Math.max(alive.leaseExpiresAt!, dead.leaseExpiresAt!, t!.gw.startedAt + 6000), 20_000);
    state.down = false;
    // The live holder renews a few reaper rounds after the store is back (its heartbeat is
    // slower than the reaper): without the wait it would have lost its attempt by then.
    await waitFor(async () => state.reapsAnswered > downSince + 3, 5000, 5);
    expect(await store.heartbeat(alive.id, fenceOf(alive)!, Date.now(), 10_000)).toBe('ok');
    await waitFor(async () => (await store.get(dead.id))?.state === 'queued', 20_000);
    expect((await store.events(dead.id)).some((e) => e.errorCode === 'lease_expired')).toBe(true);
    expect(await store.get(alive.id)).toMatchObject({ state: 'preparing', attempt: alive.attempt, leaseHolder: 'alive' });
  });
});
