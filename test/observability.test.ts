/**
 * Observability end to end: metrics after real tasks, stats on real history, record retention,
 * doctor against live fakes and dead ports, and the CLI's live progress against the preview
 * engine.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks, formatChecks } from '../src/cli/doctor.command.js';
import { loadConfig } from '../src/config/load.js';
import { startSimulatedFarm } from '../src/simulate/simulate.js';
import { ffprobeJson } from './helpers/fixtures.js';
import { startTestGateway, submit, waitFinal, type TestGateway } from './helpers/gateway.js';
import { slotsOf } from './helpers/farm.js';

let t: TestGateway;
const ids: string[] = [];

beforeAll(async () => {
  t = await startTestGateway();
  for (const text of ['First metrics task.', 'Second metrics task.']) ids.push(String((await submit(t.url, text)).body.task_id));
  for (const id of ids) expect((await waitFinal(t.url, id, 60_000)).status).toBe('completed');
}, 90_000);
afterAll(async () => t?.close());

/** Prometheus text → { 'name{labels}': value }. */
function parseExposition(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    m.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return m;
}

describe('GET /metrics', () => {
  it('exposes task outcomes, phase histograms, slot, queue, HTTP and process metrics', async () => {
    await fetch(`${t.url}/api/status/${ids[0]}`);
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const m = parseExposition(await res.text());
    expect(m.get('heygem_gateway_task_outcomes_total{status="completed",error_code=""}')).toBe(2);
    expect(m.get('heygem_gateway_render_seconds_count')).toBe(2);
    expect(m.get('heygem_gateway_tts_seconds_count')).toBe(2);
    expect(m.get('heygem_gateway_total_seconds_count')).toBe(2);
    expect(m.get('heygem_gateway_queue_depth')).toBe(0);
    expect(m.get('heygem_gateway_tasks{state="completed"}')).toBe(2);
    expect(m.get('heygem_gateway_slot_busy{slot="0"}')).toBe(0);
    expect(m.get('heygem_gateway_slot_healthy{slot="1"}')).toBe(1);
    expect(m.get('heygem_gateway_http_requests_total{method="GET",route="/api/status/:id",status="200"}')).toBeGreaterThanOrEqual(1);
    expect([...m.keys()].some((k) => k.startsWith('heygem_gateway_process_resident_memory_bytes'))).toBe(true);
  });
});

describe('GET /api/stats', () => {
  it('computes the window from the persisted history', async () => {
    const s = (await (await fetch(`${t.url}/api/stats?bucket=1h`)).json()) as { totals: Record<string, number>; durations_seconds: Record<string, { count: number }>; slots: Record<string, { utilization: number }>; throughput: unknown[] };
    expect(s.totals.completed).toBe(2);
    expect(s.totals.success_rate).toBe(1);
    expect(s.durations_seconds.render.count).toBe(2);
    expect(Object.keys(s.slots)).toEqual(['0', '1']);
    expect(s.throughput).toHaveLength(24);
    expect((await fetch(`${t.url}/api/stats?bucket=1s`)).status).toBe(400);
  });
});

describe('record retention', () => {
  it('purges old finished records and keeps recent ones', async () => {
    expect(await t.gw.recordRetention.sweep()).toBe(0);
    const removed = await t.gw.store.purgeFinished(Date.now() + 1000);
    expect(removed.tasks).toBe(2);
    expect(removed.task_events).toBeGreaterThan(2);
    expect((await t.gw.store.list({})).total).toBe(0);
  });
});

describe('CLI', () => {
  it('generate shows phase progress and downloads the MP4; tasks lists it', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hg-cli-')), 'out.mp4');
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ['bin/heygem-gateway.js', 'generate', 'Hello from the command line.', '-o', out, '--url', t.url, '--poll-ms', '100'], { timeout: 60_000 });
    expect(stdout).toMatch(/task [0-9a-z]{26}/);
    expect(stdout).toMatch(/100%\s+completed/);
    expect(stdout).toContain(`saved ${out}`);
    expect(statSync(out).size).toBeGreaterThan(1000);
    expect((await ffprobeJson(out)).streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    const list = await run(process.execPath, ['bin/heygem-gateway.js', 'tasks', '--url', t.url], { timeout: 30_000 });
    expect(list.stdout).toContain('Hello from the command line.');
    expect(list.stdout).toMatch(/^TASK\s+STATUS/);
  }, 90_000);
});

describe('doctor', () => {
  it('passes against live fake containers and fails with fixes against dead ports', async () => {
    const base = mkdtempSync(join(tmpdir(), 'hg-doctor-'));
    const farm = await startSimulatedFarm({ gpus: 1, baseDir: base, host: '127.0.0.1', renderMs: 100 });
    try {
      const [slot] = slotsOf(farm);
      const live = await runChecks(loadConfig({ env: {} as NodeJS.ProcessEnv, inline: { dataDir: join(base, 'data'), engine: 'heygem', slots: [slot], telemetry: { nvidiaSmi: '/nonexistent/nvidia-smi' } } }));
      expect(live.filter((c) => c.status === 'fail')).toEqual([]);
      expect(live.find((c) => c.name === 'nvidia-smi')?.status).toBe('warn');
      // the caption font (fonts-noto-cjk, installed by .ci/run): found; a font that is not installed is a warning with the fix
      expect(live.find((c) => c.name === 'caption font')).toMatchObject({ status: 'pass', detail: 'Noto Sans CJK SC' });
      const noFont = await runChecks(loadConfig({ env: {} as NodeJS.ProcessEnv, inline: { dataDir: join(base, 'data'), captions: { font: 'No Such Font' } } }));
      expect(noFont.find((c) => c.name === 'caption font')).toMatchObject({ status: 'warn', fix: expect.stringContaining('fonts-noto-cjk') });
      expect(live.find((c) => c.name === 'face detector')).toMatchObject({ status: 'pass', detail: expect.stringMatching(/^BlazeFace on WASM, ready in \d+ ms$/) });
      const deadSlot = { ...slot, video: { ...slot.video, url: 'http://127.0.0.1:1' }, tts: { ...slot.tts, url: 'http://127.0.0.1:2' } };
      const dead = await runChecks(loadConfig({ env: {} as NodeJS.ProcessEnv, inline: { dataDir: join(base, 'data'), engine: 'heygem', slots: [deadSlot] } }));
      const failed = dead.filter((c) => c.status === 'fail').map((c) => c.name);
      expect(failed).toEqual(['GPU 0 TTS /v1/health', 'GPU 0 video /easy/query']);
      expect(formatChecks(dead)).toContain('fix: start the video container');
    } finally {
      await farm.close();
    }
  });
});
