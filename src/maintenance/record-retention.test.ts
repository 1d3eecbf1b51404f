import { describe, expect, it } from 'vitest';
import type { Logger } from '../logger.js';
import { noPrunedRows, type PrunedRows } from '../store/record-prune.js';
import type { TaskStore } from '../store/task-store.js';
import { RecordRetention } from './record-retention.js';

const DAY = 86_400_000;

/** A store whose purgeFinished answers from a script: a row count per batch, or an error. */
function scriptedStore(script: Array<number | Error>): { store: TaskStore; calls: Array<{ before: number; limit?: number }> } {
  const calls: Array<{ before: number; limit?: number }> = [];
  const store = {
    async purgeFinished(before: number, limit?: number): Promise<PrunedRows> {
      calls.push({ before, limit });
      const next = script.shift() ?? 0;
      if (next instanceof Error) throw next;
      return { ...noPrunedRows(), tasks: next, task_events: next * 2 };
    },
  } as unknown as TaskStore;
  return { store, calls };
}

function recordingLog(): { log: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const log = { warn: (_o: unknown, msg: string) => warnings.push(msg), info: () => undefined } as unknown as Logger;
  return { log, warnings };
}

describe('RecordRetention', () => {
  it('prunes batch after batch until nothing is left, and counts rows per table', async () => {
    const { store, calls } = scriptedStore([100, 100, 40, 0]);
    const r = new RecordRetention(store, { now: () => 100 * DAY }, { taskRecordDays: 90, intervalMs: 3_600_000, batchRows: 100 }, recordingLog().log);
    expect(await r.sweep()).toBe(240);
    expect(calls).toEqual(Array.from({ length: 4 }, () => ({ before: 10 * DAY, limit: 100 })));
    expect(r.pruned).toMatchObject({ tasks: 240, task_events: 480, publications: 0 });
  });

  it('a pass that fails (store away) logs, keeps what it pruned, and the next round carries on', async () => {
    const away = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const { store } = scriptedStore([100, away, 50, 0]);
    const { log, warnings } = recordingLog();
    const r = new RecordRetention(store, { now: () => 100 * DAY }, { taskRecordDays: 90, intervalMs: 3_600_000, batchRows: 100 }, log);
    await expect(r.sweep()).resolves.toBe(100);
    expect(warnings).toEqual(['record retention: the store is unavailable, trying again next round']);
    expect(await r.sweep()).toBe(50);
    expect(r.pruned.tasks).toBe(150);
  });

  it('a second sweep while one runs joins it; 0 days keeps everything', async () => {
    const { store, calls } = scriptedStore([10, 0]);
    const r = new RecordRetention(store, { now: () => 100 * DAY }, { taskRecordDays: 90, intervalMs: 3_600_000, batchRows: 100 }, recordingLog().log);
    const [a, b] = await Promise.all([r.sweep(), r.sweep()]);
    expect([a, b]).toEqual([10, 10]);
    expect(calls).toHaveLength(2);
    const off = scriptedStore([10]);
    expect(await new RecordRetention(off.store, { now: () => 100 * DAY }, { taskRecordDays: 0, intervalMs: 3_600_000, batchRows: 100 }, recordingLog().log).sweep()).toBe(0);
    expect(off.calls).toHaveLength(0);
  });
});
