/**
 * The must-show run for templates and usage on the protocol-exact fake HeyGem farm (real
 * ffmpeg): a template with three variables rendered by a 50-row CSV batch gives 50 MP4s whose
 * speech text holds each row's values; a row with a missing variable is refused with its row
 * number before anything is queued; and the usage the gateway reports equals the sum of the
 * tasks' own durations.
 */
import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startGatewayOnFarm } from './helpers/farm.js';
import { waitFor } from './helpers/gateway.js';

const run = promisify(execFile);
const ROWS = 50;
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

/** A distinct made-up word per row (letters only: the speech text keeps it as written). */
const word = (i: number, base: string) => base + String.fromCharCode(97 + (i % 26)) + String.fromCharCode(97 + Math.floor(i / 26));

async function isMp4(path: string): Promise<boolean> {
  const f = await open(path, 'r');
  try {
    const b = Buffer.alloc(12);
    await f.read(b, 0, 12, 0);
    return b.subarray(4, 8).toString('latin1') === 'ftyp';
  } finally {
    await f.close();
  }
}

describe('a template rendered by a 50-row CSV batch on fake GPUs', () => {
  it('makes 50 MP4s with each row\u2019s values in their speech text, refuses a row missing a variable, and reports usage equal to the tasks\u2019 own durations', async () => {
    const { t } = await startGatewayOnFarm(cleanups, { gpus: 3, ttsMs: 5, dirPrefix: 'hg-tpl-farm-', farm: { renderMs: 20, video: { growMs: 5 } } });
    const tpl = await (await fetch(`${t.url}/api/templates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Order', script: 'Hi {{name}}, {{item}} leaves {{city}}.', language: 'en' }) })).json() as { id: string; variables: string[] };
    expect(tpl.variables).toEqual(['name', 'item', 'city']);
    const rows = Array.from({ length: ROWS }, (_, i) => ({ name: word(i, 'Zor'), item: word(i, 'quib'), city: word(i, 'Vel') }));
    const csv = (rs: Array<Record<string, string>>) => 'name,item,city\r\n' + rs.map((r) => `${r.name},${r.item},${r.city}`).join('\r\n') + '\r\n';
    const post = (body: string) => fetch(`${t.url}/api/batches?template_id=${tpl.id}`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body });

    // row 37 has no city: refused with its number, nothing queued
    const bad = await post(csv(rows.map((r, i) => (i === 36 ? { ...r, city: '' } : r))));
    expect(bad.status).toBe(422);
    const badBody = (await bad.json()) as { code: string; errors: Array<Record<string, unknown>> };
    expect(badBody.code).toBe('template_variables');
    expect(badBody.errors).toEqual([expect.objectContaining({ row: 37, field: 'city', code: 'variable_missing' })]);
    expect((await t.gw.store.list({ limit: 10, offset: 0 })).total).toBe(0);

    const sent = await post(csv(rows));
    expect(sent.status).toBe(202);
    const batchId = ((await sent.json()) as { batch_id: string }).batch_id;
    const view = await waitFor(async () => {
      const b = (await (await fetch(`${t.url}/api/batches/${batchId}`)).json()) as { status: string; counts: Record<string, number>; rows: Array<{ row: number; task_id: string }> };
      return b.status === 'completed' ? b : undefined;
    }, 240_000, 200);
    expect(view.counts.completed).toBe(ROWS);

    const tasks = await Promise.all(view.rows.map(async (r) => ({ row: r.row, task: (await t.gw.store.get(r.task_id))! })));
    for (const { row, task } of tasks) {
      const v = rows[row - 1];
      expect(task.state).toBe('completed');
      for (const value of [v.name, v.item, v.city]) expect(task.normalizedText, `row ${row}`).toContain(value);
      expect(await isMp4(t.gw.paths.output(task.id)), `row ${row}`).toBe(true);
      expect(await t.gw.templates.usedBy(task.id)).toEqual({ templateId: tpl.id, version: 1 });
    }
    // one of them read back by ffprobe: a real video with sound
    const probe = JSON.parse((await run('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', t.gw.paths.output(tasks[0].task.id)])).stdout) as { streams: Array<{ codec_type: string }> };
    expect(probe.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);

    // usage = the sum of the tasks' own durations (speech and render spans; delivered speech length)
    const span = (a: number | null, b: number | null) => (a !== null && b !== null ? (b - a) / 1000 : 0);
    const gpu = tasks.reduce((s, { task: x }) => s + span(x.ttsStartedAt, x.ttsEndedAt) + span(x.renderStartedAt, x.renderEndedAt), 0);
    const video = tasks.reduce((s, { task: x }) => s + (x.audioDurationSec ?? 0), 0);
    const usage = await waitFor(async () => {
      const u = (await (await fetch(`${t.url}/api/usage`)).json()) as { total: { videos: number; video_seconds: number; gpu_seconds: number } };
      return u.total.videos === ROWS ? u : undefined;
    });
    expect(usage.total.video_seconds).toBeCloseTo(video, 2);
    expect(usage.total.gpu_seconds).toBeCloseTo(gpu, 2);
    expect(video).toBeGreaterThan(ROWS * 0.5);
  }, 400_000);
});
