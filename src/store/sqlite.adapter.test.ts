import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newTaskId } from '../domain/ids.js';
import { SqliteTaskStore } from './sqlite.adapter.js';
import { describeTaskStoreConformance } from './task-store.conformance.js';

describeTaskStoreConformance('sqlite', async () => new SqliteTaskStore(join(mkdtempSync(join(tmpdir(), 'hg-store-')), 'db.sqlite')));

describe('SqliteTaskStore durability', () => {
  it('keeps tasks, states and queue order across a reopen', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hg-store-')), 'db.sqlite');
    const s1 = new SqliteTaskStore(path);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await s1.create({ id: newTaskId(), text: `t${i}`, createdAt: i })).id);
    await s1.claimNext(0, 10);
    await s1.close();
    const s2 = new SqliteTaskStore(path);
    expect(await s2.queueSize()).toBe(4);
    expect(await s2.queuePosition(ids[1])).toBe(1);
    expect((await s2.get(ids[0]))?.state).toBe('preparing');
    expect(s2.database.pragma('journal_mode', { simple: true })).toBe('wal');
    await s2.close();
  });
});
