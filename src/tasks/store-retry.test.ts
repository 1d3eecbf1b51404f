import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newTaskId } from '../domain/ids.js';
import { SqliteTaskStore } from '../store/sqlite.adapter.js';
import type { TaskStore } from '../store/task-store.js';
import { TaskLifecycle } from './lifecycle.js';
import { storeRetryDelayMs, untilStored } from './store-retry.js';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const fast = { what: 'test write', minDelayMs: 1, maxDelayMs: 2 };

describe('untilStored', () => {
  it('waits out an outage: tries again until the write lands', async () => {
    let tries = 0;
    const out = await untilStored(async () => {
      if (++tries < 4) throw refused();
      return 'stored';
    }, fast);
    expect(out).toBe('stored');
    expect(tries).toBe(4);
  });

  it('throws anything that is not an outage at once', async () => {
    let tries = 0;
    const bug = new TypeError('a bug');
    await expect(
      untilStored(async () => {
        tries++;
        throw bug;
      }, fast),
    ).rejects.toBe(bug);
    expect(tries).toBe(1);
  });

  it('stops waiting when its signal aborts (a shutdown), with the abort reason', async () => {
    const ctrl = new AbortController();
    const reason = new Error('shutdown');
    let tries = 0;
    const p = untilStored(async () => {
      if (++tries === 3) ctrl.abort(reason);
      throw refused();
    }, { ...fast, signal: ctrl.signal });
    await expect(p).rejects.toBe(reason);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(storeRetryDelayMs(1, 250, 5000, () => 0)).toBe(125);
    expect(storeRetryDelayMs(1, 250, 5000, () => 1)).toBe(250);
    expect(storeRetryDelayMs(3, 250, 5000, () => 1)).toBe(1000);
    expect(storeRetryDelayMs(30, 250, 5000, () => 1)).toBe(5000);
  });
});

describe('TaskLifecycle.moveDurably', () => {
  /** A store whose next transitions are applied, but whose answers are lost with the connection. */
  function lossy(inner: TaskStore): TaskStore & { loseNext: number; failNext: number } {
    const s = Object.create(inner) as TaskStore & { loseNext: number; failNext: number };
    s.loseNext = 0;
    s.failNext = 0;
    s.transition = async (...args) => {
      if (s.failNext > 0) {
        s.failNext--;
        throw refused();
      }
      const r = await inner.transition(...args);
      if (s.loseNext > 0) {
        s.loseNext--;
        throw Object.assign(new Error('Connection terminated unexpectedly'), {});
      }
      return r;
    };
    return s;
  }

  async function claimed() {
    const inner = new SqliteTaskStore(join(mkdtempSync(join(tmpdir(), 'hg-retry-')), 'db.sqlite'));
    const store = lossy(inner);
    const lc = new TaskLifecycle(store, { now: () => Date.now() }, { maxAttempts: 3, retryBaseDelayMs: 10 });
    await inner.create({ id: newTaskId(), text: 'hello', createdAt: Date.now() });
    const task = (await inner.claimNext({ slotId: 0, holder: 'n', now: Date.now(), leaseMs: 30_000 }))!;
    return { store, lc, task, inner };
  }

  it('a move refused while the store is away lands once it is back', async () => {
    const { store, lc, task } = await claimed();
    store.failNext = 3;
    const next = await lc.moveDurably(task, 'reserved', { normalizedText: 'hello' });
    expect(next?.state).toBe('reserved');
    expect(next?.attempt).toBe(task.attempt);
  });

  it('a move applied whose answer was lost counts as done (read back), not as lost to someone else', async () => {
    const { store, lc, task, inner } = await claimed();
    store.loseNext = 1;
    const seen: string[] = [];
    lc.on('change', (c) => seen.push(c.task.state));
    const next = await lc.moveDurably(task, 'reserved', { normalizedText: 'hello' });
    expect(next?.state).toBe('reserved');
    expect(seen).toEqual(['reserved']);
    expect((await inner.events(task.id)).filter((e) => e.state === 'reserved')).toHaveLength(1);
  });

  it('a move fenced out meanwhile (another attempt took over) answers undefined', async () => {
    const { store, lc, task, inner } = await claimed();
    await inner.transition(task.id, { from: ['preparing'] }, 'queued', {}, Date.now()); // reaped meanwhile
    store.failNext = 1;
    expect(await lc.moveDurably(task, 'reserved', {})).toBeUndefined();
  });
});
