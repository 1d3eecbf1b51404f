/**
 * Batches section: (1) what fair share costs per claim — the fair ORDER BY against the plain
 * FIFO head, on an SQLite queue of one owner's batch plus another owner's single task — and
 * where that single task is claimed (its position); (2) batch intake: one POST /api/batches of
 * many JSON rows, through the real server process, end to end.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newTaskId } from '../src/domain/ids.js';
import { fairClaimSql } from '../src/store/fair-share.js';
import { SqliteTaskStore } from '../src/store/sqlite.adapter.js';
import { startServer } from './lib/server.js';
import { median, round } from './lib/stats.js';

const FIFO_SQL = `SELECT id FROM tasks WHERE state = 'queued' AND available_at <= @now ORDER BY seq LIMIT 1`;
const FAIR_SQL = `${fairClaimSql('sqlite', '@now', { pattern: '@avoidPattern', readyBy: '@readyBy' })} LIMIT 1`;

function timeQuery(store: SqliteTaskStore, sql: string, n: number): number {
  const stmt = store.database.prepare(sql);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    stmt.get(sql === FAIR_SQL ? { now: Date.now(), avoidPattern: '%,3,%', readyBy: Date.now() } : { now: Date.now() });
    samples.push(performance.now() - t0);
  }
  return median(samples) * 1000; // µs
}

async function claimCost(queued: number, samples: number): Promise<Record<string, number>> {
  const store = new SqliteTaskStore(join(mkdtempSync(join(tmpdir(), 'hg-bench-fair-')), 'g.db'));
  for (let i = 0; i < queued; i++) await store.create({ id: newTaskId(1000 + i), text: `row ${i}`, owner: 'batch-key', createdAt: 1000 + i });
  // the batch holds 3 slots, like 3 busy GPUs
  for (let s = 0; s < 3; s++) await store.claimNext({ slotId: s, holder: 'bench', now: 5000, leaseMs: 60_000 });
  const single = await store.create({ id: newTaskId(9_000_000), text: 'single', owner: 'other-key', createdAt: 9_000_000 });
  const fifoUs = timeQuery(store, FIFO_SQL, samples);
  const fairUs = timeQuery(store, FAIR_SQL, samples);
  const fifoPosition = (await store.queuePosition(single.id)) ?? 0; // where plain FIFO would have it
  const next = await store.claimNext({ slotId: 3, holder: 'bench', now: 9_000_001, leaseMs: 60_000 });
  await store.close();
  return { queued, fifo_claim_select_us: round(fifoUs, 1), fair_claim_select_us: round(fairUs, 1), fair_over_fifo: round(fairUs / fifoUs, 1), single_task_fifo_position: fifoPosition, single_task_claimed_next: next?.id === single.id ? 1 : 0 };
}

async function intake(rows: number): Promise<Record<string, number>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hg-bench-batch-'));
  const server = await startServer(dataDir, { scheduler: { enabled: false }, batches: { maxRows: rows } });
  try {
    const body = JSON.stringify({ rows: Array.from({ length: rows }, (_, i) => ({ text: `Row ${i + 1}: a sentence of ordinary length for a lesson.`, metadata: { n: i + 1 } })) });
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const res = await fetch(`${server.url}/api/batches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (res.status !== 202) throw new Error(`batch intake: HTTP ${res.status}`);
      await res.arrayBuffer();
      times.push(performance.now() - t0);
    }
    const ms = median(times);
    return { rows, intake_ms_median: round(ms, 0), rows_per_second: round((rows / ms) * 1000, 0) };
  } finally {
    await server.stop();
  }
}

export async function runBatchesBench(o: { quick: boolean }): Promise<Array<Record<string, number>>> {
  const out: Array<Record<string, number>> = [];
  for (const q of o.quick ? [200] : [1000, 10_000]) out.push(await claimCost(q, o.quick ? 20 : 200));
  out.push(await intake(o.quick ? 50 : 1000));
  return out;
}
