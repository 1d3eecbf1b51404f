/**
 * Retention inside a running gateway: the scheduled sweep removes old files of finished tasks
 * and keeps every file of a task that is still queued or running, however old; record
 * retention prunes old task records with their side rows while the API keeps answering.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countOrphans, ORPHAN_QUERIES, type PruneFixture } from './conformance/record-prune.conformance.js';
import type { TestGateway } from './helpers/gateway.js';
import { startTestGateway, waitFor } from './helpers/gateway.js';
import { seedRetention } from './helpers/retention-seed.js';
import { scriptedGateway } from './helpers/scripted.js';

const open: TestGateway[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

const age = (path: string, ms: number) => {
  const t = (Date.now() - ms) / 1000;
  utimesSync(path, t, t);
};

describe('scheduled file retention', () => {
  it('removes what finished tasks left behind, never what a live task needs', async () => {
    const { t } = await scriptedGateway(
      { fileRetention: { intervalMs: 50, uploadsMaxAgeMs: 1000, workMaxAgeMs: 1000, outputsMaxAgeMs: 1000 } },
      { script: { ttsMs: 60_000 }, slots: 1 },
    );
    open.push(t);
    const post = async (text: string) => (await t.app.inject({ method: 'POST', url: '/api/generate', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ text }) })).json().task_id as string;
    const running = await post('stays in TTS for a minute');
    const queued = await post('waits behind it');
    const done = await post('canceled, so final');
    await t.app.inject({ method: 'POST', url: `/api/tasks/${done}/cancel` });
    const files = {
      running: join(t.dataDir, 'uploads', `${running}.mp4`),
      queued: join(t.dataDir, 'uploads', `${queued}.mp4`),
      done: join(t.dataDir, 'uploads', `${done}.mp4`),
      doneOut: join(t.dataDir, 'outputs', `${done}.wav`),
      foreign: join(t.dataDir, 'uploads', 'notes.txt'),
    };
    for (const p of Object.values(files)) {
      writeFileSync(p, 'x');
      age(p, 3_600_000);
    }
    await waitFor(async () => !existsSync(files.done) && !existsSync(files.doneOut), 5000);
    await new Promise((r) => setTimeout(r, 200)); // several more sweeps
    expect(existsSync(files.running)).toBe(true);
    expect(existsSync(files.queued)).toBe(true);
    expect(existsSync(files.foreign)).toBe(true);
  });
});

/**
 * Record retention at scale (docs/operations.md, "Retention"): 100 k old tasks with their side
 * rows are pruned while the API is polled. Correctness only — how long status takes before and
 * during the pass is measured in bench/retention.bench.ts, not asserted here.
 */
describe('scheduled record retention', () => {
  it('prunes 100 k old tasks and their side rows, leaves no orphan, and answers status throughout', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hg-records-'));
    const seed = await seedRetention(dataDir, { tasks: 100_000, queued: 20, finishedAt: Date.now() - 30 * 86_400_000 });
    const t = await startTestGateway({ scheduler: { enabled: false }, retention: { taskRecordDays: 7 } }, {}, dataDir);
    open.push(t);
    const statuses: number[] = [];
    let pruning = true;
    let polledDuringPass = 0;
    const poller = (async () => {
      for (let i = 0; pruning; i++) {
        const res = await fetch(`${t.url}/api/status/${seed.queuedIds[i % seed.queuedIds.length]}`);
        await res.arrayBuffer();
        statuses.push(res.status);
        if (pruning) polledDuringPass++;
      }
    })();
    const removed = await t.gw.recordRetention.sweep();
    pruning = false;
    await poller;

    expect(removed).toBe(seed.oldTasks);
    expect(polledDuringPass).toBeGreaterThan(0); // the pass yields: the API answered while it ran
    expect(statuses.every((s) => s === 200)).toBe(true);
    const db = new Database(join(dataDir, 'gateway.db'), { readonly: true });
    try {
      const f = { sql: async (text: string) => db.prepare(text).all() as Array<Record<string, unknown>> };
      expect(await countOrphans(f as PruneFixture)).toEqual(Object.fromEntries(Object.keys(ORPHAN_QUERIES).map((k) => [k, 0])));
      const left = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
      expect(left('tasks')).toBe(seed.queuedIds.length);
      for (const table of ['task_events', 'publications', 'publish_requests', 'webhook_deliveries', 'webhook_attempts', 'webhook_callbacks', 'library_task_inputs', 'batch_rows', 'batches']) expect(left(table), table).toBe(0);
    } finally {
      db.close();
    }
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toContain(`heygem_gateway_retention_pruned_rows_total{table="tasks"} ${seed.oldTasks}`);
    expect(metrics).toContain(`heygem_gateway_retention_pruned_rows_total{table="batches"} 1000`);
  }, 300_000);
});
