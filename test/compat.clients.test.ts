/**
 * Drop-in compatibility (#16): the replaced Flask app's clients, emulated request for request,
 * against the gateway driving 3 protocol-exact fake HeyGem GPUs (video + TTS containers).
 * Submits are form-encoded exactly as Python `requests` builds them; every task is followed by
 * the old poll loop; every field those clients read is checked for presence and old type.
 * The field list and types: docs/compatibility.md.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedFarm } from '../src/simulate/simulate.js';
import type { GpuSample, GpuStatsSource } from '../src/telemetry/gpu-stats.js';
import { FAST_HEYGEM, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { fieldProblems, getJson, pollLikeOldClient, postForm, pyFixed, rawRequest } from './helpers/old-client.js';
import { slotsOf } from './helpers/farm.js';

type Farm = Awaited<ReturnType<typeof startSimulatedFarm>>;

/**
 * nvidia-smi as seen by the sampler: GPU 0 fully known, GPU 1 unknown (no sample at all),
 * GPU 2 with memory but no utilization — the three cases the old types must survive.
 */
class ScriptedGpuStats implements GpuStatsSource {
  latest(index: number): GpuSample | null {
    const at = Date.now();
    if (index === 0) return { index, utilizationPct: 37, memoryUsedMiB: 1234, memoryTotalMiB: 24576, temperatureC: 61, powerW: 120, at };
    if (index === 2) return { index, utilizationPct: null, memoryUsedMiB: 2048, memoryTotalMiB: null, temperatureC: null, powerW: null, at };
    return null;
  }
  unavailableReason(): string | null {
    return null;
  }
  start(): void {}
  stop(): void {}
}

let farm: Farm;
let t: TestGateway;

beforeAll(async () => {
  const baseDir = mkdtempSync(join(tmpdir(), 'hg-compat-'));
  // Renders long enough that 12 submits leave tasks waiting (3 slots take at most 6 at once).
  farm = await startSimulatedFarm({ gpus: 3, baseDir, host: '127.0.0.1', renderMs: 1200, ttsMs: 30 });
  t = await startTestGateway(
    {
      engine: 'heygem',
      slots: slotsOf(farm),
      heygem: FAST_HEYGEM,
      scheduler: { retryBaseDelayMs: 20, healthProbeIntervalMs: 200 },
    },
    { gpuStats: new ScriptedGpuStats() },
  );
});

afterAll(async () => {
  await t?.close();
  await farm?.close();
});

/** Texts an old script would send: spaces, punctuation that urlencoding must escape, non-ASCII. */
const texts = Array.from({ length: 12 }, (_, i) =>
  i % 3 === 0
    ? `Task ${i}: price 5 € & tax = 20% + fees; 你好, café 😀 — a text longer than fifty characters for the queue preview.`
    : i % 3 === 1
      ? `Short ${i}`
      : `Line one of ${i}.\nLine two: a/b?c=d#e`,
);

const STATUS_WORDS = ['preprocessing', 'queued', 'reserved', 'processing', 'completed', 'failed', 'timeout'];

describe('the replaced app\u2019s clients against 3 fake GPUs', () => {
  it('submit form-encoded, poll to completion, read queue/info/health with the old types', { timeout: 180_000 }, async () => {
    const problems: string[] = [];

    // --- submit, as `requests.post(f"{BASE}/api/generate", data={"text": text})` ---
    const ids: string[] = [];
    let queueSeen: Record<string, unknown> | null = null;
    for (const text of texts) {
      const r = await postForm(t.url, '/api/generate', { text });
      expect(r.status, r.body).toBe(202);
      const body = JSON.parse(r.body) as Record<string, unknown>;
      problems.push(...fieldProblems(body, { success: ['boolean'], task_id: ['string'], message: ['string'], status_url: ['string'] }, 'generate'));
      ids.push(String(body.task_id));
      // The old page polls /api/queue while it submits: keep the first view that has a waiting task.
      if (!queueSeen) {
        const q = (await getJson(t.url, '/api/queue')).json;
        if ((q.queue as unknown[]).length > 0) queueSeen = q;
      }
    }
    // "success rate = completed / submitted": the old script divided by the number of accepted tasks
    expect(ids.length).toBe(texts.length);

    // --- /api/queue, as the old page and scripts read it ---
    expect(queueSeen, 'no queued task was ever visible in /api/queue').not.toBeNull();
    const q = queueSeen!;
    expect(Object.keys(q.gpus as object).sort()).toEqual(['0', '1', '2']);
    for (const [id, g] of Object.entries(q.gpus as Record<string, Record<string, unknown>>)) {
      problems.push(
        ...fieldProblems(
          g,
          { busy: ['boolean'], current_task: ['string', 'null'], memory_used: ['string'], gpu_utilization: ['number'], video_port: ['number'], tts_port: ['number'] },
          `queue.gpus.${id}`,
        ),
      );
      // what the old page printed: `Memory: ${memory_used}`, `Usage: ${gpu_utilization}%`
      expect(`Memory: ${String(g.memory_used)}`).not.toMatch(/null|undefined/);
      expect(`Usage: ${pyFixed(g.gpu_utilization, 0)}%`).toMatch(/^Usage: \d+%$/);
    }
    const gpus = q.gpus as Record<string, Record<string, unknown>>;
    expect(gpus['0']).toMatchObject({ memory_used: '1234 MiB', gpu_utilization: 37, memory_used_mb: 1234, memory_total_mb: 24576, gpu_utilization_pct: 37 });
    expect(gpus['1']).toMatchObject({ memory_used: 'N/A', gpu_utilization: 0, memory_used_mb: null, gpu_utilization_pct: null });
    expect(gpus['2']).toMatchObject({ memory_used: '2048 MiB', gpu_utilization: 0, memory_used_mb: 2048, gpu_utilization_pct: null });
    for (const s of farm.slots) {
      expect(gpus[String(s.id)].video_port).toBe(Number(new URL(s.video.url).port));
      expect(gpus[String(s.id)].tts_port).toBe(Number(new URL(s.tts.url).port));
    }
    problems.push(...fieldProblems(q, { queue: ['array'], queue_size: ['number'] }, 'queue'));
    expect(q.queue_size as number).toBeGreaterThanOrEqual((q.queue as unknown[]).length);
    for (const [i, item] of (q.queue as Array<Record<string, unknown>>).entries()) {
      problems.push(...fieldProblems(item, { task_id: ['string'], queued_time: ['string'], text: ['string'] }, `queue.queue[${i}]`));
      expect(Number.isNaN(Date.parse(String(item.queued_time)))).toBe(false);
      // `text[:50] + "..."` of what was submitted (code points, "..." even on short texts)
      const submitted = texts[ids.indexOf(String(item.task_id))];
      expect(item.text).toBe(`${[...submitted].slice(0, 50).join('')}...`);
    }

    // --- /api/info and /api/health, as the old page read them ---
    const info = (await getJson(t.url, '/api/info')).json;
    problems.push(...fieldProblems(info, { service: ['string'], version: ['string'], port: ['number'], gpus: ['object'], endpoints: ['array'] }, 'info'));
    expect(info.port).toBe(Number(new URL(t.url).port));
    const infoGpus = info.gpus as Record<string, Record<string, unknown>>;
    expect(Object.keys(infoGpus).sort()).toEqual(['0', '1', '2']);
    for (const s of farm.slots) {
      expect(infoGpus[String(s.id)]).toEqual({ video_port: Number(new URL(s.video.url).port), tts_port: Number(new URL(s.tts.url).port) });
    }
    expect((info.endpoints as unknown[]).every((e) => typeof e === 'string')).toBe(true);
    const health = await getJson(t.url, '/api/health');
    expect(health.status).toBe(200);
    problems.push(...fieldProblems(health.json, { status: ['string'], service: ['string'], timestamp: ['string'] }, 'health'));
    expect(health.json.status).toBe('healthy');

    // --- poll every task like the old scripts, then print its timings ---
    const seenStatuses = new Set<string>();
    const finals = await Promise.all(
      ids.map((id) =>
        pollLikeOldClient(t.url, id, {
          intervalMs: 100, // the old scripts slept 5 s; the loop is the same
          maxPolls: 1500,
          onPoll: (s) => {
            seenStatuses.add(String(s.status));
            problems.push(...fieldProblems(s, { status: ['string'], progress: ['number'], gpu_id: ['number', 'null'], queue_position: ['number', 'null'], error: ['string', 'null'] }, `status(${String(s.status)})`));
            if (!STATUS_WORDS.includes(String(s.status))) problems.push(`status word ${String(s.status)} is not in the old vocabulary`);
            // `print(f"Status: {s['status']}, Progress: {s['progress']}%")`
            expect(`Status: ${String(s.status)}, Progress: ${pyFixed(s.progress, 0)}%`).toMatch(/^Status: \w+, Progress: \d+%$/);
          },
        }),
      ),
    );
    let completed = 0;
    for (const [i, s] of finals.entries()) {
      expect(s.status, JSON.stringify(s)).toBe('completed');
      completed++;
      problems.push(
        ...fieldProblems(
          s,
          {
            task_id: ['string'],
            status: ['string'],
            progress: ['number'],
            gpu_id: ['number'],
            queue_position: ['number', 'null'],
            error: ['null', 'string'],
            result: ['object'],
            'result.code': ['number'],
            'result.msg': ['string'],
            'result.data': ['object'],
            'result.data.result_url': ['string'],
            start_time: ['string'],
            completed_time: ['string'],
            input_text: ['string'],
            reference_audio: ['string'],
            generated_audio_url: ['string'],
            'timing.tts_time': ['number'],
            'timing.video_time': ['number'],
            'timing.total_time': ['number'],
            vimeo_uploaded: ['boolean'],
            vimeo_url: ['string', 'null'],
            vimeo_upload_time: ['string', 'null'],
          },
          `status[${i}]`,
        ),
      );
      expect(s.input_text).toBe(texts[i].trim());
      expect((s.result as { code: number }).code).toBe(10000);
      expect(s.progress).toBe(100);
      // `print(f"TTS: {t['tts_time']:.2f}s, video: {t['video_time']:.2f}s, total: {t['total_time']:.2f}s")`
      const timing = s.timing as Record<string, unknown>;
      const line = `TTS: ${pyFixed(timing.tts_time)}s, video: ${pyFixed(timing.video_time)}s, total: ${pyFixed(timing.total_time)}s`;
      expect(line).toMatch(/^TTS: \d+\.\d\ds, video: \d+\.\d\ds, total: \d+\.\d\ds$/);
      expect(timing.total_time as number).toBeGreaterThanOrEqual(timing.video_time as number);
      // the old page played result.data.result_url
      const video = await rawRequest(t.url, 'GET', String((s.result as { data: { result_url: string } }).data.result_url));
      expect(video.status).toBe(200);
      expect(video.headers['content-type']).toBe('video/mp4');
    }
    expect(completed / ids.length).toBe(1);
    expect(seenStatuses.has('completed')).toBe(true);
    // every GPU took part, each task rendered exactly once
    const submits = farm.slots.map((s) => s.video.stats().submits);
    expect(submits.reduce((a, b) => a + b, 0)).toBe(texts.length);
    expect(submits.every((n) => n > 0)).toBe(true);

    // --- an unknown id, as the old clients saw it: {"status": "not_found", "error": ...} ---
    const nf = await getJson(t.url, '/api/status/no-such-task');
    expect(nf.status).toBe(404);
    problems.push(...fieldProblems(nf.json, { status: ['string'], error: ['string'] }, 'status(unknown)'));
    expect(nf.json.status).toBe('not_found');

    expect(problems).toEqual([]);
  });
});
