import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newTaskId } from '../domain/ids.js';
import type { Logger } from '../logger.js';
import { SqliteTaskStore } from './sqlite.adapter.js';
import { describeTaskStoreConformance } from '../../test/conformance/task-store.conformance.js';
import { describeRecordPruneConformance } from '../../test/conformance/record-prune.conformance.js';

describeTaskStoreConformance('sqlite', async () => new SqliteTaskStore(join(mkdtempSync(join(tmpdir(), 'hg-store-')), 'db.sqlite')));
describeRecordPruneConformance('sqlite', async () => {
  const store = new SqliteTaskStore(join(mkdtempSync(join(tmpdir(), 'hg-store-')), 'db.sqlite'));
  return {
    store,
    async sql(text, args = []) {
      const st = store.database.prepare(text);
      return st.reader ? (st.all(...args) as Array<Record<string, unknown>>) : (st.run(...args), []);
    },
  };
});

describe('SqliteTaskStore durability', () => {
  it('keeps tasks, states and queue order across a reopen', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hg-store-')), 'db.sqlite');
    const s1 = new SqliteTaskStore(path);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await s1.create({ id: newTaskId(), text: `t${i}`, createdAt: i })).id);
    await s1.claimNext({ slotId: 0, holder: 'n', now: 10, leaseMs: 1000 });
    await s1.close();
    const s2 = new SqliteTaskStore(path);
    expect(await s2.queueSize()).toBe(4);
    expect(await s2.queuePosition(ids[1])).toBe(1);
    expect((await s2.get(ids[0]))?.state).toBe('preparing');
    expect(s2.database.pragma('journal_mode', { simple: true })).toBe('wal');
    await s2.close();
  });

  it('migrates a version-1 database and refuses one from a newer gateway', async () => {
    const Database = (await import('better-sqlite3')).default;
    const { MIGRATIONS } = await import('./sqlite.schema.js');
    const path = join(mkdtempSync(join(tmpdir(), 'hg-store-')), 'db.sqlite');
    const old = new Database(path);
    old.exec(MIGRATIONS[0]);
    old.pragma('user_version = 1');
    old.prepare(`INSERT INTO tasks (id, state, text, created_at, updated_at) VALUES ('t1', 'queued', 'x', 1, 1)`).run();
    old.close();
    const s = new SqliteTaskStore(path);
    expect(await s.get('t1')).toMatchObject({ state: 'queued', attempt: 0, leaseToken: null });
    expect(await s.queuePosition('t1')).toBe(1);
    await s.close();
    const newer = new Database(path);
    newer.pragma('user_version = 99');
    newer.close();
    expect(() => new SqliteTaskStore(path)).toThrow(/newer than this gateway understands/);
  });

  it('logs a refused illegal transition with the states asked for', async () => {
    const warnings: unknown[][] = [];
    const log = { warn: (...a: unknown[]) => warnings.push(a) } as unknown as Logger;
    const s = new SqliteTaskStore(':memory:', log);
    const t = await s.create({ id: newTaskId(), text: 'x', createdAt: 1 });
    expect(await s.transition(t.id, { from: ['queued'] }, 'completed', {}, 2)).toBeUndefined();
    expect(warnings).toEqual([[{ taskId: t.id, from: ['queued'], to: 'completed' }, 'illegal task transition refused']]);
    expect((await s.get(t.id))?.state).toBe('queued');
    await s.close();
  });
});
