/**
 * Record retention under load (docs/operations.md, "Retention"): the gateway CLI in a child
 * process on a database of `tasks` old finished tasks with their side rows (events,
 * publications, webhook deliveries and attempts, callbacks, library links, batch rows, long
 * scripts' segments), `/api/status/:id` polled by 4 sequential clients before and during the
 * scheduled pruning pass. The pass is seen through `/metrics` (pruned rows), polled every
 * 250 ms: "during" is from the last scrape that saw nothing pruned to the first that saw every
 * old task gone, so it may include up to 250 ms either side of the pass (which only dilutes it).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { seedRetention } from '../test/helpers/retention-seed.js';
import { startServer } from './lib/server.js';
import { quantile, round } from './lib/stats.js';

interface Sample {
  start: number;
  end: number;
  status: number;
}

const prunedTasks = (metrics: string) => Number(/heygem_gateway_retention_pruned_rows_total\{table="tasks"\} (\d+)/.exec(metrics)?.[1] ?? 0);
const prunedRows = (metrics: string) => [...metrics.matchAll(/heygem_gateway_retention_pruned_rows_total\{table="[a-z_]+"\} (\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);

/** The default batch and a larger one: what a request waits for is about one batch. */
export async function runRetentionBench(opts: { quick?: boolean }): Promise<Array<Record<string, number>>> {
  const rows = [];
  for (const batchRows of [100, 500]) rows.push(await runOnce({ quick: opts.quick, batchRows }));
  return rows;
}

async function runOnce(opts: { quick?: boolean; batchRows: number }): Promise<Record<string, number>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hg-bench-retention-'));
  const tasks = opts.quick ? 20_000 : 100_000;
  const seed = await seedRetention(dataDir, { tasks, queued: 50, finishedAt: Date.now() - 30 * 86_400_000 });
  // The first pass starts one interval after start-up: the time before it is the baseline.
  const intervalMs = opts.quick ? 2_000 : 8_000;
  const server = await startServer(dataDir, { scheduler: { enabled: false }, rateLimit: { exemptLoopback: true }, retention: { taskRecordDays: 7, intervalMs, batchRows: opts.batchRows } });
  const samples: Sample[] = [];
  let lastIdle = 0; // last time /metrics said the pass had not started
  let finished = Infinity; // first time it said every old task was gone
  let done = false;
  try {
    const pollers = Array.from({ length: 4 }, async (_, c) => {
      for (let i = c; !done; i += 4) {
        const start = performance.now();
        const res = await fetch(`${server.url}/api/status/${seed.queuedIds[i % seed.queuedIds.length]}`);
        await res.arrayBuffer();
        samples.push({ start, end: performance.now(), status: res.status });
      }
    });
    const deadline = performance.now() + intervalMs * 2 + 600_000;
    let pruned = 0;
    while (performance.now() < deadline) {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const now = performance.now();
      const n = prunedTasks(text);
      if (n === 0) lastIdle = now;
      if (n >= seed.oldTasks) {
        finished = now;
        pruned = prunedRows(text);
        break;
      }
      await sleep(250);
    }
    done = true;
    await Promise.all(pollers);
    const ms = (xs: Sample[]) => xs.map((s) => s.end - s.start);
    const before = ms(samples.filter((s) => s.end <= lastIdle));
    const during = ms(samples.filter((s) => s.start >= lastIdle && s.end <= finished));
    return {
      batch_rows: opts.batchRows,
      tasks,
      task_rows_pruned: seed.oldTasks,
      rows_pruned: pruned,
      prune_seconds_approx: round((finished - lastIdle) / 1000, 1),
      status_requests_before: before.length,
      status_p50_before_ms: round(quantile(before, 0.5), 2),
      status_p99_before_ms: round(quantile(before, 0.99), 2),
      status_requests_during: during.length,
      status_p50_during_ms: during.length ? round(quantile(during, 0.5), 2) : 0,
      status_p99_during_ms: during.length ? round(quantile(during, 0.99), 2) : 0,
      status_max_during_ms: during.length ? round(Math.max(...during), 2) : 0,
      status_non200: samples.filter((s) => s.status !== 200).length,
    };
  } finally {
    done = true;
    await server.stop();
  }
}
