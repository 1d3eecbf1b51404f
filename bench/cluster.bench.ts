/**
 * Several nodes on one PostgreSQL (docs/lifecycle.md, docs/postgres.md): N submissions sent at
 * once, spread over two gateway processes (API-only, so the queue only grows), compared with
 * the same load on one embedded-SQLite process. Reports p50/p99 of POST /api/generate as the
 * client sees it, checks nothing was lost or duplicated and that both nodes report the same queue
 * position for every task. `npm run bench:cluster [-- --quick]`; prints a table and writes
 * bench/results/cluster.json. Bounded in count (N) and time (each phase has a deadline).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestDatabase } from '../test/helpers/postgres.js';
import { startServer, type ServerHandle } from './lib/server.js';
import { quantile, round } from './lib/stats.js';

const DEADLINE_MS = 180_000;
/** Requests in flight at once, per client: enough to queue at the server, bounded. */
const CONCURRENCY = 64;

interface Row {
  setup: string;
  submissions: number;
  accepted: number;
  distinct: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  per_s: number;
  positions_agree: boolean | 'n/a';
}

async function submitAll(urls: string[], n: number, deadline: number): Promise<{ ids: string[]; ms: number[]; wallMs: number }> {
  const ids: string[] = [];
  const ms: number[] = [];
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < n && Date.now() < deadline) {
      const i = next++;
      const t = performance.now();
      const r = await fetch(`${urls[i % urls.length]}/api/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `Bench task ${i}.` }) });
      const body = (await r.json()) as { task_id?: string };
      ms.push(performance.now() - t);
      if (r.status === 202 && body.task_id) ids.push(body.task_id);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { ids, ms, wallMs: performance.now() - t0 };
}

async function positionsAgree(urls: string[], ids: string[]): Promise<boolean> {
  const read = async (url: string) => {
    const out: number[] = [];
    for (let i = 0; i < ids.length; i += CONCURRENCY) {
      const batch = await Promise.all(ids.slice(i, i + CONCURRENCY).map(async (id) => ((await (await fetch(`${url}/api/status/${id}`)).json()) as { queue_position: number }).queue_position));
      out.push(...batch);
    }
    return out;
  };
  const [a, b] = [await read(urls[0]), await read(urls[1])];
  const sorted = [...a].sort((x, y) => x - y);
  return a.every((p, i) => p === b[i]) && sorted.every((p, i) => p === i + 1);
}

function row(setup: string, n: number, r: { ids: string[]; ms: number[]; wallMs: number }, agree: boolean | 'n/a'): Row {
  return {
    setup,
    submissions: n,
    accepted: r.ids.length,
    distinct: new Set(r.ids).size,
    p50_ms: round(quantile(r.ms, 0.5), 1),
    p99_ms: round(quantile(r.ms, 0.99), 1),
    max_ms: round(Math.max(...r.ms), 1),
    per_s: round((r.ids.length / r.wallMs) * 1000, 0),
    positions_agree: agree,
  };
}

export async function runCluster(opts: { quick?: boolean }): Promise<Row[]> {
  const n = opts.quick ? 200 : 1000;
  const rows: Row[] = [];
  const apiOnly = { scheduler: { enabled: false }, rateLimit: { submitsPerMinutePerIp: 0, submitsPerMinutePerKey: 0, maxActiveTasksPerKey: 0 }, limits: { minFreeDiskBytes: 0 } };
  const servers: ServerHandle[] = [];
  const db = await createTestDatabase();
  try {
    // one embedded node (the default), for comparison
    const solo = await startServer(mkdtempSync(join(tmpdir(), 'hg-bench-solo-')), apiOnly);
    servers.push(solo);
    rows.push(row('1 node, SQLite', n, await submitAll([solo.url], n, Date.now() + DEADLINE_MS), 'n/a'));
    await solo.stop();
    // two nodes on one PostgreSQL database
    const shared = mkdtempSync(join(tmpdir(), 'hg-bench-pg-'));
    const pg = (id: string) => ({ ...apiOnly, store: { driver: 'postgres', url: db.url }, node: { id } });
    const a = await startServer(mkdtempSync(join(shared, 'a-')), pg('a'));
    const b = await startServer(mkdtempSync(join(shared, 'b-')), pg('b'));
    servers.push(a, b);
    const r = await submitAll([a.url, b.url], n, Date.now() + DEADLINE_MS);
    rows.push(row('2 nodes, PostgreSQL', n, r, await positionsAgree([a.url, b.url], r.ids)));
  } finally {
    await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
    await db.drop();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const rows = await runCluster({ quick: values.quick });
  console.table(rows);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/cluster.json', JSON.stringify({ at: new Date().toISOString(), concurrency: CONCURRENCY, rows }, null, 2));
}
