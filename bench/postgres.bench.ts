/**
 * PostgreSQL store on this machine (127.0.0.1:5432, or HG_TEST_PG_URL): `create` latency,
 * claims per second with 4 stores (separate pools, like 4 nodes) claiming at once, queue
 * position cost at the back of a deep queue, and the LISTEN/NOTIFY round trip between two
 * stores. Runs in a throw-away database. `npm run bench:postgres [-- --quick]`; prints a table
 * and writes bench/results/postgres.json. Every loop is bounded in count and in time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { newTaskId } from '../src/domain/ids.js';
import { PostgresTaskStore } from '../src/store/postgres.adapter.js';
import { createTestDatabase } from '../test/helpers/postgres.js';
import { quantile, round } from './lib/stats.js';

const DEADLINE_MS = 120_000;

export async function runPostgres(opts: { quick?: boolean }): Promise<Record<string, number | string>> {
  const creates = opts.quick ? 200 : 2_000;
  const claimTasks = opts.quick ? 400 : 4_000;
  const loopsPerNode = 3;
  const roundTrips = opts.quick ? 30 : 300;
  const db = await createTestDatabase();
  const deadline = Date.now() + DEADLINE_MS;
  const stores: PostgresTaskStore[] = [];
  try {
    const nodes = await Promise.all([0, 1, 2, 3].map(async (i) => PostgresTaskStore.connect({ url: db.url, nodeId: `bench-${i}`, poolSize: 4 })));
    stores.push(...nodes);

    // create latency: one client, one after another (what one HTTP submit costs the store)
    const createMs: number[] = [];
    for (let i = 0; i < creates && Date.now() < deadline; i++) {
      const t = performance.now();
      await nodes[0].create({ id: newTaskId(), text: `bench ${i}`, createdAt: Date.now() });
      createMs.push(performance.now() - t);
    }

    // queue position of the last task, with `creates` tasks queued ahead of it
    const last = (await nodes[0].create({ id: newTaskId(), text: 'last', createdAt: Date.now() })).id;
    const posMs: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      await nodes[1].queuePosition(last);
      posMs.push(performance.now() - t);
    }
    const depth = (await nodes[1].queuePosition(last)) ?? 0;

    // Claims: top the queue up to claimTasks, then 4 nodes × 3 loops claim everything (a node's
    // own claims queue behind each other, so 4 claim at once, one per node). Twice:
    // "cold" on a table the planner has no statistics for yet (as right after the first start),
    // then after ANALYZE, as autovacuum keeps it on a running deployment (docs/postgres.md).
    const seen = new Set<string>();
    let duplicates = 0;
    const claimRound = async (analyze: boolean) => {
      for (let i = await nodes[0].queueSize(); i < claimTasks && Date.now() < deadline; i++) {
        await nodes[i % 4].create({ id: newTaskId(), text: `claim ${i}`, createdAt: Date.now() });
      }
      if (analyze) await nodes[0].pool.query('ANALYZE tasks');
      let claimed = 0;
      const loop = async (n: number) => {
        for (let k = 0; k < claimTasks && Date.now() < deadline; k++) {
          const t = await nodes[n].claimNext({ slotId: n, holder: `bench-${n}`, now: Date.now(), leaseMs: 30_000 });
          if (!t) return;
          if (seen.has(t.id)) duplicates++;
          seen.add(t.id);
          claimed++;
        }
      };
      const t0 = performance.now();
      await Promise.all(nodes.flatMap((_, n) => Array.from({ length: loopsPerNode }, () => loop(n))));
      return { claimed, perSec: claimed / ((performance.now() - t0) / 1000) };
    };
    const cold = await claimRound(false);
    const warm = await claimRound(true);

    // LISTEN/NOTIFY round trip: node 0 creates, node 1 hears it
    const rtMs: number[] = [];
    for (let i = 0; i < roundTrips && Date.now() < deadline; i++) {
      const id = newTaskId();
      const heard = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('notification not received within 5 s')), 5_000);
        const off = nodes[1].onRemoteChange((got) => {
          if (got !== id) return;
          clearTimeout(timer);
          off();
          resolve();
        });
      });
      const t = performance.now();
      await nodes[0].create({ id, text: 'rt', createdAt: Date.now() });
      await heard;
      rtMs.push(performance.now() - t);
    }

    return {
      create_n: createMs.length,
      create_p50_ms: round(quantile(createMs, 0.5)),
      create_p99_ms: round(quantile(createMs, 0.99)),
      queue_depth: depth,
      queue_position_p50_ms: round(quantile(posMs, 0.5)),
      claim_nodes: nodes.length,
      claim_loops_per_node: loopsPerNode,
      claimed_per_round: warm.claimed,
      claim_duplicates: duplicates,
      claims_per_sec_cold: round(cold.perSec, 1),
      claims_per_sec: round(warm.perSec, 1),
      notify_n: rtMs.length,
      notify_roundtrip_p50_ms: round(quantile(rtMs, 0.5)),
      notify_roundtrip_p99_ms: round(quantile(rtMs, 0.99)),
    };
  } finally {
    await Promise.all(stores.map((s) => s.close()));
    await db.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const row = await runPostgres({ quick: values.quick });
  console.log('\n## postgres');
  console.table(Object.entries(row).map(([metric, value]) => ({ metric, value })));
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/postgres.json', JSON.stringify({ at: new Date().toISOString(), quick: values.quick, ...row }, null, 2));
  console.log('wrote bench/results/postgres.json');
  process.exit(0);
}
