/**
 * One conformance suite every TaskStore adapter must pass (like BullMQ's
 * adapter-conformance tests). Call it from each adapter's test file with a factory that
 * returns a fresh, empty store.
 */
import { describe, expect, it } from 'vitest';
import { newTaskId } from '../domain/ids.js';
import type { TaskStore } from './task-store.js';

export function describeTaskStoreConformance(name: string, makeStore: () => Promise<TaskStore>): void {
  describe(`TaskStore conformance: ${name}`, () => {
    const add = (s: TaskStore, text: string, at = 1000) => s.create({ id: newTaskId(at), text, createdAt: at });

    it('creates, reads and orders the queue', async () => {
      const s = await makeStore();
      const a = await add(s, 'a');
      const b = await add(s, 'b');
      const c = await add(s, 'c');
      expect((await s.get(a.id))?.state).toBe('queued');
      expect(await s.queueSize()).toBe(3);
      expect(await s.queuePosition(c.id)).toBe(3);
      expect((await s.listQueued(2)).map((t) => t.id)).toEqual([a.id, b.id]);
      expect(await s.get('nope')).toBeUndefined();
      await s.close();
    });

    it('claims the oldest queued task exactly once', async () => {
      const s = await makeStore();
      const a = await add(s, 'a');
      const b = await add(s, 'b');
      const [x, y, z] = await Promise.all([s.claimNext(0, 2000), s.claimNext(1, 2000), s.claimNext(2, 2000)]);
      expect(x?.id).toBe(a.id);
      expect(x?.state).toBe('preparing');
      expect(x?.slotId).toBe(0);
      expect(y?.id).toBe(b.id);
      expect(z).toBeUndefined();
      expect(await s.queuePosition(a.id)).toBeNull();
      expect(await s.queueSize()).toBe(0);
      await s.close();
    });

    it('transitions are compare-and-set and leave an event trail', async () => {
      const s = await makeStore();
      const a = await add(s, 'a');
      await s.claimNext(0, 2000);
      expect(await s.transition(a.id, 'queued', 'reserved', {}, 2100)).toBeUndefined();
      const r = await s.transition(a.id, 'preparing', 'reserved', { referenceAudio: '/x.wav' }, 2100);
      expect(r?.referenceAudio).toBe('/x.wav');
      await s.transition(a.id, ['reserved'], 'failed', { errorCode: 'tts_failed', errorMessage: 'boom', finishedAt: 2200 }, 2200);
      const t = await s.get(a.id);
      expect(t).toMatchObject({ state: 'failed', errorCode: 'tts_failed', errorMessage: 'boom', finishedAt: 2200 });
      expect((await s.events(a.id)).map((e) => e.state)).toEqual(['queued', 'preparing', 'reserved', 'failed']);
      await s.close();
    });

    it('re-queues with a delay and keeps the original order', async () => {
      const s = await makeStore();
      const a = await add(s, 'a');
      const b = await add(s, 'b');
      await s.claimNext(0, 2000);
      await s.transition(a.id, 'preparing', 'queued', { availableAt: 5000, attempts: 1 }, 2100);
      expect(await s.queuePosition(a.id)).toBe(1);
      expect(await s.queuePosition(b.id)).toBe(2);
      expect((await s.claimNext(0, 3000))?.id).toBe(b.id);
      expect(await s.claimNext(0, 3000)).toBeUndefined();
      expect(await s.nextAvailableAt()).toBe(5000);
      expect((await s.claimNext(0, 5000))?.id).toBe(a.id);
      await s.close();
    });

    it('patches only a task still in the given state', async () => {
      const s = await makeStore();
      const a = await add(s, 'a');
      expect(await s.patch(a.id, 'rendering', { engineProgress: 20 }, 1)).toBe(false);
      expect(await s.patch(a.id, 'queued', { engineProgress: 20, engineData: { k: 1 }, renderSubmitted: true }, 1)).toBe(true);
      expect(await s.get(a.id)).toMatchObject({ engineProgress: 20, engineData: { k: 1 }, renderSubmitted: true });
      await s.close();
    });

    it('counts by state and purges only old final tasks', async () => {
      const s = await makeStore();
      const a = await add(s, 'a', 1000);
      const b = await add(s, 'b', 1000);
      await add(s, 'c', 1000);
      await s.claimNext(0, 1000);
      await s.transition(a.id, 'preparing', 'failed', { finishedAt: 2000, errorCode: 'tts_failed' }, 2000);
      await s.claimNext(0, 1000);
      await s.transition(b.id, 'preparing', 'canceled', { finishedAt: 9000 }, 9000);
      expect(await s.countByState()).toEqual({ failed: 1, canceled: 1, queued: 1 });
      expect(await s.purgeFinished(5000)).toBe(1);
      expect(await s.get(a.id)).toBeUndefined();
      expect(await s.events(a.id)).toEqual([]);
      expect((await s.get(b.id))?.state).toBe('canceled');
      expect(await s.queueSize()).toBe(1);
      await s.close();
    });

    it('lists with filters, newest first', async () => {
      const s = await makeStore();
      await add(s, 'Hello world', 1000);
      const b = await add(s, 'other', 2000);
      await add(s, 'hello again', 3000);
      await s.claimNext(0, 4000);
      const all = await s.list({});
      expect(all.total).toBe(3);
      expect(all.items[0].text).toBe('hello again');
      expect((await s.list({ q: 'HELLO' })).total).toBe(2);
      expect((await s.list({ states: ['queued'] })).total).toBe(2);
      expect((await s.list({ from: 2000, to: 3000 })).items.map((t) => t.id)).toEqual([b.id]);
      expect((await s.list({ limit: 1, offset: 1 })).items[0].id).toBe(b.id);
      expect((await s.listInStates(['preparing'])).length).toBe(1);
      await s.close();
    });
  });
}
