/**
 * A big database: 1,000,000 tasks of history and 10,000 queued (seeded with bulk inserts in one
 * transaction). Start-up time of the CLI, its memory, that queue-position / status reads do not
 * grow with the queue (front vs. back of the queue), and the status route's p99 under load.
 */
import autocannon from 'autocannon';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteTaskStore } from '../src/store/sqlite.adapter.js';
import { seedDatabase } from './lib/seed.js';
import { startServer } from './lib/server.js';
import { median, quantile, round } from './lib/stats.js';

async function timeReads(url: string, id: string, n: number): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await (await fetch(`${url}/api/status/${id}`)).arrayBuffer();
    times.push(performance.now() - t);
  }
  return { p50: median(times), p99: quantile(times, 0.99) };
}

export async function runHistory(opts: { quick?: boolean; port?: number }): Promise<Record<string, number | string>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hg-bench-history-'));
  const completed = opts.quick ? 5_000 : 1_000_000;
  const queued = opts.quick ? 1_000 : 10_000;
  const t0 = performance.now();
  const { queuedIds } = seedDatabase(join(dataDir, 'gateway.db'), { completed, queued });
  const seedMs = performance.now() - t0;
  // in-process: the store's queue position cost at the front and the back of the queue
  const store = new SqliteTaskStore(join(dataDir, 'gateway.db'));
  const pos = async (id: string) => {
    const t = performance.now();
    for (let i = 0; i < 10_000; i++) await store.queuePosition(id);
    return ((performance.now() - t) / 10_000) * 1000; // µs
  };
  const frontUs = await pos(queuedIds[0]);
  const backUs = await pos(queuedIds[queuedIds.length - 1]);
  await store.close();
  const server = await startServer(dataDir, { scheduler: { enabled: false } }, opts.port);
  try {
    const n = opts.quick ? 50 : 500;
    const front = await timeReads(server.url, queuedIds[0], n);
    const back = await timeReads(server.url, queuedIds[queuedIds.length - 1], n);
    // 32 connections on one task at the back of the queue, as the API section loads its route.
    const load = await autocannon({ url: `${server.url}/api/status/${queuedIds[queuedIds.length - 1]}`, connections: 32, duration: opts.quick ? 1 : 5 });
    return {
      history_tasks: completed,
      queued_tasks: queued,
      seed_ms: Math.round(seedMs),
      startup_ms: Math.round(server.startupMs),
      rss_after_start_mb: round(server.rssMb(), 1),
      queue_position_front_us: round(frontUs, 2),
      queue_position_back_us: round(backUs, 2),
      status_front_ms_median: round(front.p50, 3),
      status_back_ms_median: round(back.p50, 3),
      status_back_ms_p99: round(back.p99, 3),
      status_rps_32_connections: Math.round(load.requests.average),
      status_p99_ms_32_connections: load.latency.p99,
      rss_after_load_mb: round(server.rssMb(), 1),
    };
  } finally {
    await server.stop();
  }
}
