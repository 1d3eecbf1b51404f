/**
 * API capacity: autocannon against the gateway CLI in a child process, on a database of
 * `history` tasks (some queued; the scheduler is off so nothing competes for the CPU), on the
 * embedded SQLite store or on PostgreSQL (127.0.0.1, a throw-away database). Also the RSS a
 * 50 MB streamed upload adds to the server. Printed beside the first round's figures.
 */
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newTaskId } from '../src/domain/ids.js';
import { createTestDatabase, type TestDatabase } from '../test/helpers/postgres.js';
import { seedDatabase } from './lib/seed.js';
import { startServer } from './lib/server.js';
import { round } from './lib/stats.js';

interface Load {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  non2xx: number;
}

async function load(o: autocannon.Options): Promise<Load> {
  const r = await autocannon({ connections: 32, pipelining: 1, ...o });
  return { rps: Math.round(r.requests.average), p50_ms: r.latency.p50, p99_ms: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

/** The same rows as seedDatabase, on PostgreSQL (one INSERT … SELECT FROM unnest). */
async function seedPostgres(db: TestDatabase, o: { completed: number; queued: number }): Promise<string[]> {
  const t0 = Date.now() - (o.completed + o.queued) * 1000;
  const ids: string[] = [];
  const states: string[] = [];
  const ats: number[] = [];
  for (let i = 0; i < o.completed + o.queued; i++) {
    const at = t0 + i * 1000;
    ids.push(newTaskId(at));
    states.push(i < o.completed ? 'completed' : 'queued');
    ats.push(at);
  }
  await db.query(
    `INSERT INTO tasks (id, state, text, normalized_text, created_at, updated_at, finished_at, available_at, engine_progress)
     SELECT id, state, 'Seeded task with some text to speak.', 'Seeded task with some text to speak.', at, at, CASE WHEN state = 'completed' THEN at + 4600 END, 0, CASE WHEN state = 'completed' THEN 100 ELSE 0 END
     FROM unnest($1::text[], $2::text[], $3::bigint[]) AS s(id, state, at)`,
    [ids, states, ats],
  );
  await db.query('ANALYZE tasks');
  return ids.slice(o.completed);
}

/** First-round figures (commit dbb44b9, idle machine, docs/performance.md). */
export const FIRST_ROUND = { status_rps: 10_704, queue_rps: 5_021, generate_rps: 2_964 };

export async function runApi(opts: { quick?: boolean; port?: number; store?: 'sqlite' | 'postgres' }): Promise<Record<string, number | string>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hg-bench-api-'));
  const history = opts.quick ? 500 : 10_000;
  const sizes = { completed: history - Math.floor(history / 10), queued: Math.floor(history / 10) };
  const pg = opts.store === 'postgres' ? await createTestDatabase() : null;
  let queuedIds: string[];
  if (!pg) queuedIds = seedDatabase(join(dataDir, 'gateway.db'), sizes).queuedIds;
  const server = await startServer(dataDir, { scheduler: { enabled: false }, rateLimit: { exemptLoopback: true }, ...(pg ? { store: { driver: 'postgres', url: pg.url } } : {}) }, opts.port);
  if (pg) queuedIds = await seedPostgres(pg, sizes); // after the server made the schema
  const duration = opts.quick ? 1 : 8;
  try {
    // warm-up: the start-up passes (webhook sweep, ETA seed) and the JIT settle first
    await load({ url: `${server.url}/api/status/${queuedIds![0]}`, duration: 1 });
    const mid = queuedIds![Math.floor(queuedIds!.length / 2)];
    const status = await load({ url: `${server.url}/api/status/${mid}`, duration });
    const queue = await load({ url: `${server.url}/api/queue`, duration });
    const generate = await load({
      url: `${server.url}/api/generate`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Benchmark text, please speak me.' }),
      duration,
      connections: 16,
    });
    // A 50 MB upload streamed to disk (then refused as not a video), twice: the first after
    // start-up includes one-time allocator/heap growth; the second shows what an upload costs.
    const size = opts.quick ? 5 * 1024 * 1024 : 50 * 1024 * 1024;
    const upload = async () => {
      server.resetPeak();
      const before = server.peakRssMb();
      const form = new FormData();
      form.set('text', 'upload memory test');
      form.set('video', new Blob([randomBytes(size)], { type: 'video/mp4' }), 'big.mp4');
      const up = await fetch(`${server.url}/api/generate`, { method: 'POST', body: form });
      await up.arrayBuffer();
      return { status: up.status, added: round(server.peakRssMb() - before, 1) };
    };
    const first = await upload();
    const second = await upload();
    return {
      store: pg ? 'postgres' : 'sqlite',
      history_tasks: history,
      queued_tasks: queuedIds!.length,
      startup_ms: Math.round(server.startupMs),
      status_rps: status.rps,
      status_first_round_rps: FIRST_ROUND.status_rps,
      status_p99_ms: status.p99_ms,
      queue_rps: queue.rps,
      queue_first_round_rps: FIRST_ROUND.queue_rps,
      queue_p99_ms: queue.p99_ms,
      generate_rps: generate.rps,
      generate_first_round_rps: FIRST_ROUND.generate_rps,
      generate_p99_ms: generate.p99_ms,
      errors: status.errors + queue.errors + generate.errors,
      non2xx: status.non2xx + queue.non2xx + generate.non2xx,
      upload_mb: size / 1024 / 1024,
      upload_status: second.status,
      upload_first_peak_rss_added_mb: first.added,
      upload_peak_rss_added_mb: second.added,
      server_rss_mb: round(server.rssMb(), 1),
    };
  } finally {
    await server.stop();
    await pg?.drop();
  }
}
