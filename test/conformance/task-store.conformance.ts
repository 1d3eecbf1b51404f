/**
 * One conformance suite every TaskStore adapter must pass (like BullMQ's adapter-conformance
 * tests). Call it from each adapter's test file with a factory that returns a fresh, empty
 * store. It covers the queue, compare-and-set transitions, attempts with fenced leases, the
 * reaper's guard, and the slot registry. Semantics: docs/lifecycle.md.
 */
import { describe, expect, it } from 'vitest';
import { newTaskId } from '../../src/domain/ids.js';
import { fenceOf, type Fence, type Task } from '../../src/domain/task.js';
import type { TaskStore } from '../../src/store/task-store.js';

export function describeTaskStoreConformance(name: string, makeStore: () => Promise<TaskStore>): void {
  describe(`TaskStore conformance: ${name}`, () => {
    const add = (s: TaskStore, text: string, at = 1000) => s.create({ id: newTaskId(at), text, createdAt: at });
    const claim = (s: TaskStore, slotId: number, now: number, holder = 'node-a', leaseMs = 30_000) => s.claimNext({ slotId, holder, now, leaseMs });
    const fence = (t: Task | undefined): Fence => {
      const f = t && fenceOf(t);
      if (!f) throw new Error('task holds no lease');
      return f;
    };

    it('creates, reads and orders the queue', async () => {
      const s = await makeStore();
      const a = await add(s, 'a');
      const b = await add(s, 'b');
      const c = await add(s, 'c');
      expect(await s.get(a.id)).toMatchObject({ state: 'queued', attempt: 0, leaseToken: null, leaseHolder: null, leaseExpiresAt: null });
      expect(await s.queueSize()).toBe(3);
      expect(await s.queuePosition(c.id)).toBe(3);
      expect(await s.queuePosition(a.id)).toBe(1);
      expect((await s.listQueued(2)).map((t) => t.id)).toEqual([a.id, b.id]);
      expect(await s.get('nope')).toBeUndefined();
      await s.close();
    });

    it('claims the oldest queued task exactly once, as a new attempt with a lease', async () => {
      const s = await makeStore();
      const a = await add(s, 'a');
      const b = await add(s, 'b');
      const [x, y, z] = await Promise.all([claim(s, 0, 2000), claim(s, 1, 2000, 'node-b'), claim(s, 2, 2000)]);
      expect(x).toMatchObject({ id: a.id, state: 'preparing', slotId: 0, attempt: 1, leaseHolder: 'node-a', leaseExpiresAt: 32_000 });
      expect(x?.leaseToken).toMatch(/^[0-9a-f]{32}$/);
      expect(y).toMatchObject({ id: b.id, attempt: 1, leaseHolder: 'node-b' });
      expect(y?.leaseToken).not.toBe(x?.leaseToken);
      expect(z).toBeUndefined();
      expect(await s.queuePosition(a.id)).toBeNull();
      expect(await s.queueSize()).toBe(0);
      await s.close();
    });

    it('fair share: a claim prefers the owner with the fewest tasks in a slot, FIFO within an owner', async () => {
      const s = await makeStore();
      const own = (owner: string | null, text: string, at: number) => s.create({ id: newTaskId(at), text, owner, createdAt: at });
      const batch = [];
      for (let i = 0; i < 5; i++) batch.push(await own('alice', `a${i}`, 1000 + i));
      const first = await claim(s, 0, 2000);
      expect(first?.id).toBe(batch[0].id); // one owner queued: plain FIFO
      const bob = await own('bob', 'b0', 1100);
      const anon = await own(null, 'n0', 1101);
      // alice holds a slot, bob and the ownerless task none: bob's (older) goes first, then the null owner's
      expect((await claim(s, 1, 2001))?.id).toBe(bob.id);
      expect((await claim(s, 2, 2002))?.id).toBe(anon.id);
      // all three hold one slot now: ties go to the oldest queued task
      expect((await claim(s, 3, 2003))?.id).toBe(batch[1].id);
      await s.close();
    });

    it('refuses a move the transition table forbids, even when the caller allows it and holds the fence', async () => {
      const s = await makeStore();
      const a = await add(s, 'a');
      // skipping ahead from the queue, with no claim
      expect(await s.transition(a.id, { from: 'queued' }, 'rendering', {}, 1500)).toBeUndefined();
      const t = await claim(s, 0, 2000);
      const f = fence(t);
      // with the right fence: skipping a phase, going backwards, staying put
      expect(await s.transition(a.id, { from: 'preparing', fence: f }, 'completed', { finishedAt: 2100 }, 2100)).toBeUndefined();
      expect(await s.transition(a.id, { from: 'preparing', fence: f }, 'tts', {}, 2100)).toBeUndefined();
      expect(await s.transition(a.id, { from: 'preparing', fence: f }, 'preparing', {}, 2100)).toBeUndefined();
      const reserved = await s.transition(a.id, { from: 'preparing', fence: f }, 'reserved', {}, 2200);
      expect(reserved).toMatchObject({ state: 'reserved', attempt: 1, leaseToken: f.token });
      // a caller that allows a forbidden source state along with others: the row's state decides
      expect(await s.transition(a.id, { from: ['preparing', 'reserved'], fence: f }, 'preparing', {}, 2300)).toBeUndefined();
      expect(await s.get(a.id)).toMatchObject({ state: 'reserved', updatedAt: 2200 });
      // nothing leaves completed; a failed task only goes back to the queue (retry)
      const done = await s.transition(a.id, { from: 'reserved', fence: f }, 'failed', { errorCode: 'tts_failed', errorMessage: 'x', finishedAt: 2400 }, 2400);
      expect(done?.state).toBe('failed');
      expect(await s.transition(a.id, { from: 'failed' }, 'completed', {}, 2500)).toBeUndefined();
      expect(await s.transition(a.id, { from: 'failed' }, 'canceled', {}, 2500)).toBeUndefined();
      expect((await s.transition(a.id, { from: 'failed' }, 'queued', {}, 2600))?.state).toBe('queued');
      // a refused move leaves no event
      expect((await s.events(a.id)).map((e) => e.state).filter((st) => st !== 'queued')).toEqual(['preparing', 'reserved', 'failed']);
      await s.close();
    });

    it('transitions are compare-and-set on state and fence, and leave an event trail', async () => {
      const s = await makeStore();
      const a = await add(s, 'a');
      const t = await claim(s, 0, 2000);
      const f = fence(t);
      expect(await s.transition(a.id, { from: 'queued' }, 'reserved', {}, 2100)).toBeUndefined();
      expect(await s.transition(a.id, { from: 'preparing', fence: { ...f, token: 'f'.repeat(32) } }, 'reserved', {}, 2100)).toBeUndefined();
      expect(await s.transition(a.id, { from: 'preparing', fence: { ...f, attempt: 2 } }, 'reserved', {}, 2100)).toBeUndefined();
      const r = await s.transition(a.id, { from: 'preparing', fence: f }, 'reserved', { referenceAudio: '/x.wav' }, 2100);
      expect(r).toMatchObject({ referenceAudio: '/x.wav', leaseToken: f.token, attempt: 1 });
      const done = await s.transition(a.id, { from: ['reserved'], fence: f }, 'failed', { errorCode: 'tts_failed', errorMessage: 'boom', finishedAt: 2200 }, 2200);
      expect(done).toMatchObject({ state: 'failed', leaseToken: null, leaseHolder: null, leaseExpiresAt: null, attempt: 1 });
      expect(await s.get(a.id)).toMatchObject({ state: 'failed', errorCode: 'tts_failed', errorMessage: 'boom', finishedAt: 2200 });
      const ev = await s.events(a.id);
      expect(ev.map((e) => e.state)).toEqual(['queued', 'preparing', 'reserved', 'failed']);
      expect(ev.map((e) => e.attempt)).toEqual([0, 1, 1, 1]);
      await s.close();
    });

    it('re-queues with a delay, keeps the original order, and the next claim is attempt n+1', async () => {
      const s = await makeStore();
      const a = await add(s, 'a');
      const b = await add(s, 'b');
      const t = await claim(s, 0, 2000);
      const back = await s.transition(a.id, { from: 'preparing', fence: fence(t) }, 'queued', { availableAt: 5000, attempts: 1 }, 2100);
      expect(back).toMatchObject({ leaseToken: null, attempt: 1 });
      expect(await s.queuePosition(a.id)).toBe(1);
      expect(await s.queuePosition(b.id)).toBe(2);
      expect((await claim(s, 0, 3000))?.id).toBe(b.id);
      expect(await claim(s, 0, 3000)).toBeUndefined();
      expect(await s.nextAvailableAt()).toBe(5000);
      const again = await claim(s, 1, 5000, 'node-b');
      expect(again).toMatchObject({ id: a.id, attempt: 2, attempts: 1, leaseHolder: 'node-b' });
      // the first attempt's fence no longer moves or patches the task
      expect(await s.transition(a.id, { from: 'preparing', fence: fence(t) }, 'reserved', {}, 5100)).toBeUndefined();
      expect(await s.patch(a.id, fence(t), { engineProgress: 50 }, 5100)).toBe(false);
      expect(await s.heartbeat(a.id, fence(t), 5100, 1000)).toBe('lost');
      await s.close();
    });

    it('a retry that avoids a slot goes to another one first; its old slot takes it only after preferOthersMs', async () => {
      const s = await makeStore();
      const a = await add(s, 'a');
      const b = await add(s, 'b');
      const t = await claim(s, 0, 2000);
      const finding = { code: 'output_black', at: 1, detail: 'black from 1 s to 2.5 s', attempt: 1, slotId: 0 };
      expect(await s.patch(a.id, fence(t), { checks: [finding] }, 2050)).toBe(true);
      await s.transition(a.id, { from: 'preparing', fence: fence(t) }, 'queued', { availableAt: 2100, attempts: 1, avoidSlots: [0, 3] }, 2100);
      expect(await s.get(a.id)).toMatchObject({ checks: [finding], avoidSlots: [0, 3] });
      const ask = (slotId: number, now: number) => s.claimNext({ slotId, holder: 'node-a', now, leaseMs: 30_000, preferOthersMs: 1000 });
      // slot 0 passes the avoiding task over for the next one; slot 10 (not slot 0, though its id contains it) takes it
      expect((await ask(0, 2200))?.id).toBe(b.id);
      expect(await ask(0, 2300)).toBeUndefined();
      expect(await ask(3, 2300)).toBeUndefined();
      expect((await ask(0, 3100))?.id).toBe(a.id); // ready for preferOthersMs: its old slot may take it
      const c = await add(s, 'c');
      const tc = await claim(s, 1, 3200);
      await s.transition(c.id, { from: 'preparing', fence: fence(tc) }, 'queued', { availableAt: 3300, avoidSlots: [1] }, 3300);
      expect((await ask(10, 3400))?.id).toBe(c.id);
      await s.close();
    });

    it('patches only the current, unfinished attempt', async () => {
      const s = await makeStore();
      const a = await add(s, 'a');
      const t = await claim(s, 0, 1);
      const f = fence(t);
      expect(await s.patch(a.id, { ...f, token: '0'.repeat(32) }, { engineProgress: 20 }, 1)).toBe(false);
      expect(await s.patch(a.id, f, { engineProgress: 20, engineData: { k: 1 }, renderSubmitted: true }, 2)).toBe(true);
      expect(await s.get(a.id)).toMatchObject({ engineProgress: 20, engineData: { k: 1 }, renderSubmitted: true, state: 'preparing' });
      await s.transition(a.id, { from: 'preparing' }, 'canceled', { finishedAt: 3 }, 3);
      expect(await s.patch(a.id, f, { engineProgress: 90 }, 4)).toBe(false);
      expect((await s.get(a.id))?.engineProgress).toBe(20);
      await s.close();
    });

    it('heartbeats extend the lease; a cancel ends it, so the holder learns it lost', async () => {
      const s = await makeStore();
      const a = await add(s, 'a');
      const f = fence(await claim(s, 0, 1000, 'node-a', 5000));
      expect(await s.heartbeat(a.id, f, 4000, 5000)).toBe('ok');
      expect((await s.get(a.id))?.leaseExpiresAt).toBe(9000);
      expect(await s.listExpired(8999, 10)).toEqual([]);
      expect((await s.listExpired(9000, 10)).map((t) => t.id)).toEqual([a.id]);
      const canceled = await s.transition(a.id, { from: ['preparing', 'reserved'] }, 'canceled', { finishedAt: 5000 }, 5000);
      expect(canceled).toMatchObject({ state: 'canceled', leaseToken: null });
      expect(await s.heartbeat(a.id, f, 5100, 5000)).toBe('lost');
      expect(await s.listExpired(99_999, 10)).toEqual([]);
      await s.close();
    });

    it('the reaper only wins over an expired lease; a heartbeat in between wins instead', async () => {
      const s = await makeStore();
      const a = await add(s, 'a');
      const f = fence(await claim(s, 0, 1000, 'node-a', 1000));
      const [expired] = await s.listExpired(2500, 10);
      expect(expired.id).toBe(a.id);
      // the holder heartbeats after the reaper listed it but before it acted
      expect(await s.heartbeat(a.id, f, 2600, 1000)).toBe('ok');
      const reap = (now: number) => s.transition(a.id, { from: ['preparing'], fence: fence(expired), leaseExpiredBy: now }, 'queued', { attempts: 1 }, now, 'lease expired');
      expect(await reap(2700)).toBeUndefined();
      // it stops heartbeating: now the reaper wins, once
      const [r1, r2] = await Promise.all([reap(4000), reap(4000)]);
      expect([r1, r2].filter(Boolean)).toHaveLength(1);
      expect(await s.get(a.id)).toMatchObject({ state: 'queued', attempts: 1, attempt: 1, leaseToken: null });
      expect(await s.heartbeat(a.id, f, 4100, 1000)).toBe('lost');
      await s.close();
    });

    it('a restarted holder reclaims its live attempt with a fresh token, not an expired one', async () => {
      const s = await makeStore();
      const a = await add(s, 'a');
      const b = await add(s, 'b');
      const fa = fence(await claim(s, 0, 1000, 'node-a', 5000));
      const fb = fence(await claim(s, 1, 1000, 'node-a', 1000));
      expect((await s.listHeldBy('node-a')).map((t) => t.id)).toEqual([a.id, b.id]);
      expect(await s.listHeldBy('node-b')).toEqual([]);
      const back = await s.reclaim(a.id, fa, 'node-a', 3000, 5000);
      expect(back).toMatchObject({ attempt: 1, leaseHolder: 'node-a', leaseExpiresAt: 8000 });
      expect(back?.leaseToken).not.toBe(fa.token);
      expect(await s.patch(a.id, fa, { engineProgress: 1 }, 3001)).toBe(false);
      expect(await s.patch(a.id, fence(back), { engineProgress: 1 }, 3001)).toBe(true);
      expect(await s.reclaim(b.id, fb, 'node-a', 3000, 5000)).toBeUndefined();
      await s.close();
    });

    it('counts by state and purges only old final tasks', async () => {
      const s = await makeStore();
      const a = await add(s, 'a', 1000);
      const b = await add(s, 'b', 1000);
      await add(s, 'c', 1000);
      await claim(s, 0, 1000);
      await s.transition(a.id, { from: 'preparing' }, 'failed', { finishedAt: 2000, errorCode: 'tts_failed' }, 2000);
      await claim(s, 0, 1000);
      await s.transition(b.id, { from: 'preparing' }, 'canceled', { finishedAt: 9000 }, 9000);
      expect(await s.countByState()).toEqual({ failed: 1, canceled: 1, queued: 1 });
      expect((await s.purgeFinished(5000)).tasks).toBe(1);
      expect(await s.get(a.id)).toBeUndefined();
      expect(await s.events(a.id)).toEqual([]);
      expect((await s.get(b.id))?.state).toBe('canceled');
      expect(await s.queueSize()).toBe(1);
      await s.close();
    });

    it('names a task (found by its title too) and deletes only the final tasks asked for', async () => {
      const s = await makeStore();
      const a = await add(s, 'first words here', 1000);
      const b = await add(s, 'still waiting', 1000);
      expect(await s.setTitle(a.id, 'Launch 手机')).toBe(true);
      expect(await s.setTitle('0'.repeat(26), 'x')).toBe(false);
      expect((await s.get(a.id))?.title).toBe('Launch 手机');
      expect((await s.list({ q: '手机' })).items.map((t) => t.id)).toEqual([a.id]);
      await claim(s, 0, 1000);
      await s.transition(a.id, { from: 'preparing' }, 'failed', { finishedAt: 2000, errorCode: 'tts_failed' }, 2000);
      expect((await s.deleteTasks([a.id, b.id])).tasks).toBe(1);
      expect(await s.get(a.id)).toBeUndefined();
      expect(await s.events(a.id)).toEqual([]);
      expect((await s.get(b.id))?.state).toBe('queued');
      expect((await s.deleteTasks([])).tasks).toBe(0);
      await s.close();
    });

    it('lists with filters, newest first, and the rows analytics need', async () => {
      const s = await makeStore();
      await add(s, 'Hello world', 1000);
      const b = await add(s, 'other', 2000);
      const c = await add(s, 'hello again', 3000);
      await claim(s, 0, 4000);
      const all = await s.list({});
      expect(all.total).toBe(3);
      expect(all.items[0].text).toBe('hello again');
      expect((await s.list({ q: 'HELLO' })).total).toBe(2);
      expect((await s.list({ states: ['queued'] })).total).toBe(2);
      expect((await s.list({ from: 2000, to: 3000 })).items.map((t) => t.id)).toEqual([b.id]);
      expect((await s.list({ limit: 1, offset: 1 })).items[0].id).toBe(b.id);
      expect((await s.listInStates(['preparing'])).length).toBe(1);
      const fc = fence(await claim(s, 1, 5000));
      await s.transition(b.id, { from: 'preparing', fence: fc }, 'failed', { finishedAt: 6000 }, 6000);
      expect((await s.listForStats(6500, 9000)).map((t) => t.id).sort()).toEqual([c.id, (await s.list({ q: 'world' })).items[0].id].sort());
      expect((await s.listForStats(5000, 9000)).length).toBe(3);
      expect((await s.listForStats(0, 2000)).length).toBe(1);
      await s.close();
    });

    it('never claims a parent of segments; lists its children by index, not among top-level tasks', async () => {
      const s = await makeStore();
      const parent = await s.create({ id: newTaskId(1000), text: 'long', createdAt: 1000, segmentCount: 2, captions: 'burn' });
      const c1 = await s.create({ id: `${parent.id}-s01`, text: 'two', createdAt: 1000, parentId: parent.id, segmentIndex: 1 });
      const c0 = await s.create({ id: `${parent.id}-s00`, text: 'one', createdAt: 1000, parentId: parent.id, segmentIndex: 0 });
      expect(parent).toMatchObject({ segmentCount: 2, parentId: null, segmentIndex: null, captions: 'burn' });
      expect(c0).toMatchObject({ parentId: parent.id, segmentIndex: 0, segmentCount: null, captions: null });
      expect((await s.listSegments(parent.id)).map((t) => t.id)).toEqual([c0.id, c1.id]);
      expect((await s.list({})).items.map((t) => t.id)).toEqual([parent.id]);
      // only the children are work, in queue order; the parent stays queued and never wakes the scheduler
      expect((await claim(s, 0, 2000))?.id).toBe(c1.id);
      expect((await claim(s, 1, 2000))?.id).toBe(c0.id);
      expect(await claim(s, 2, 2000)).toBeUndefined();
      expect(await s.nextAvailableAt()).toBeNull();
      expect((await s.get(parent.id))?.state).toBe('queued');
      await s.close();
    });

    it('counts what users submitted: a long script once in the queue size and positions, its parts answer the parent\u2019s place', async () => {
      const s = await makeStore();
      const before = await add(s, 'before');
      const parent = await s.create({ id: newTaskId(1000), text: 'long script', createdAt: 1000, segmentCount: 3 });
      const parts = [];
      for (let i = 0; i < 3; i++) parts.push(await s.create({ id: `${parent.id}-s0${i}`, text: `part ${i}`, createdAt: 1000, parentId: parent.id, segmentIndex: i }));
      const after = await add(s, 'after');
      expect(await s.queueSize()).toBe(3);
      expect(await s.queuePosition(before.id)).toBe(1);
      expect(await s.queuePosition(parent.id)).toBe(2);
      expect(await s.queuePosition(parts[2].id)).toBe(2);
      expect(await s.queuePosition(after.id)).toBe(3);
      // the first part is claimed: the parent is under way (it leaves the queue), its waiting parts no longer have a place
      expect((await claim(s, 0, 2000))?.id).toBe(before.id);
      expect((await claim(s, 1, 2000))?.id).toBe(parts[0].id);
      expect(await s.transition(parent.id, { from: ['queued'] }, 'preparing', {}, 2000)).toBeDefined();
      expect(await s.queueSize()).toBe(1);
      expect(await s.queuePosition(parts[1].id)).toBeNull();
      expect(await s.queuePosition(after.id)).toBe(1);
      await s.close();
    });

    it('keeps each task\u2019s language and what was requested; a task made without one is English, requested auto', async () => {
      const s = await makeStore();
      const zh = await s.create({ id: newTaskId(1000), text: '你好，世界。', createdAt: 1000, language: 'zh', languageRequested: 'auto' });
      const en = await s.create({ id: newTaskId(1000), text: 'Hello.', createdAt: 1000, language: 'en', languageRequested: 'en' });
      const old = await s.create({ id: newTaskId(1000), text: 'Hi.', createdAt: 1000 });
      expect(zh).toMatchObject({ language: 'zh', languageRequested: 'auto' });
      expect(await s.get(zh.id)).toMatchObject({ language: 'zh', languageRequested: 'auto' });
      expect(await s.get(en.id)).toMatchObject({ language: 'en', languageRequested: 'en' });
      expect(await s.get(old.id)).toMatchObject({ language: 'en', languageRequested: 'auto' });
      // a claim returns the whole row, language included (the runner reads it for the voice)
      const claimed = await claim(s, 0, 2000);
      expect(claimed?.id).toBe(zh.id);
      expect(claimed?.language).toBe('zh');
      await s.close();
    });

    it('registers each slot to one live node; a stale registration can be taken over', async () => {
      const s = await makeStore();
      expect(await s.registerSlots('node-a', [0, 1], 1000, 10_000)).toEqual([]);
      const conflicts = await s.registerSlots('node-b', [1, 2], 2000, 10_000);
      expect(conflicts.map((c) => [c.slotId, c.nodeId])).toEqual([[1, 'node-a']]);
      expect((await s.listSlots()).map((r) => r.slotId)).toEqual([0, 1]);
      await s.reportSlots('node-a', [{ slotId: 0, info: { healthy: true, busy: false } }], 3000);
      await s.reportSlots('node-b', [{ slotId: 1, info: { hijack: true } }], 3000);
      const rows = await s.listSlots();
      expect(rows[0]).toEqual({ slotId: 0, nodeId: 'node-a', heartbeatAt: 3000, info: { healthy: true, busy: false } });
      expect(rows[1]).toMatchObject({ slotId: 1, nodeId: 'node-a', heartbeatAt: 1000, info: {} });
      // node-a stopped refreshing slot 1 long ago: node-b may take it over
      expect(await s.registerSlots('node-b', [1, 2], 20_000, 10_000)).toEqual([]);
      expect((await s.listSlots()).map((r) => [r.slotId, r.nodeId])).toEqual([[0, 'node-a'], [1, 'node-b'], [2, 'node-b']]);
      await s.unregisterSlots('node-b');
      expect((await s.listSlots()).map((r) => r.slotId)).toEqual([0]);
      await s.close();
    });
  });
}
