/**
 * Long scripts end to end on the CPU preview engine with real ffmpeg (docs/segments.md): a
 * script split into segments on 3 slots, stitched, and checked on the MP4 itself — duration,
 * audio/video drift, the face continuous across every cut (frames carry their index), captions
 * on each segment's speech — plus a segment that fails and is retried, and one that fails for good.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { TaskError } from '../src/domain/errors.js';
import { newTaskId } from '../src/domain/ids.js';
import { isFinal, type Task } from '../src/domain/task.js';
import { captionCues } from '../src/segments/captions.js';
import { frameIndices, indexedFace, silences } from './helpers/indexed-face.js';
import { startTestGateway, waitFinalInStore, type TestGateway } from './helpers/gateway.js';
import { waitFor } from './helpers/wait.js';

const run = promisify(execFile);
const FPS = 25;
const SCRIPT = Array.from({ length: 9 }, (_, i) => `Part ${i + 1} of the lesson explains one idea, and then it stops.`).join(' ');

let t: TestGateway | undefined;
afterEach(async () => {
  await t?.close(2000);
  t = undefined;
});

async function start(inline: Record<string, unknown> = {}): Promise<TestGateway> {
  // The indexed face is bands of pixels, not a face, 64 px tall: this file is about cuts, not faces.
  t = await startTestGateway({ preview: { slots: 3 }, segments: { targetSeconds: 6 }, scheduler: { retryBaseDelayMs: 5 }, checks: { face: 'off', minShortSide: 64 }, ...inline });
  return t;
}

async function submit(gw: TestGateway['gw'], text: string, videoPath?: string): Promise<Task> {
  const task = await gw.segments.create({ id: newTaskId(), text, normalizedText: gw.normalize(text), videoPath, createdAt: gw.clock.now() });
  gw.lifecycle.accepted(task);
  gw.scheduler.notify();
  return task;
}

const finalOf = (gw: TestGateway['gw'], id: string) => waitFinalInStore(gw, id);

async function streamDurations(file: string): Promise<{ video: number; audio: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,duration', '-of', 'json', file]);
  const s = (JSON.parse(stdout) as { streams: Array<{ codec_type: string; duration: string }> }).streams;
  return { video: Number(s.find((x) => x.codec_type === 'video')!.duration), audio: Number(s.find((x) => x.codec_type === 'audio')!.duration) };
}

/** Next frame of a forward/backward loop: ±1, or the same index at a turn. */
const continuous = (a: number, b: number) => Math.abs(a - b) <= 1;

describe('long scripts on the preview engine (real ffmpeg)', () => {
  it('splits, renders on every slot, and stitches a seamless, verified MP4 with aligned captions', async () => {
    const { gw } = await start();
    const face = await indexedFace(3);
    const parent = await submit(gw, SCRIPT, face);
    expect(parent.segmentCount).toBeGreaterThanOrEqual(3);
    const done = await finalOf(gw, parent.id);
    expect(done.state, done.errorMessage ?? '').toBe('completed');
    const kids = await gw.store.listSegments(parent.id);
    expect(new Set(kids.map((k) => k.slotId)).size).toBeGreaterThan(1); // the work was spread over slots
    // duration = sum of the parts within one frame; audio and video end within 40 ms
    const parts = kids.map((k) => k.audioDurationSec!);
    const sum = parts.reduce((a, b) => a + b, 0);
    const d = await streamDurations(done.outputPath!);
    expect(Math.abs(d.video - sum)).toBeLessThanOrEqual(1 / FPS + 1e-3);
    expect(Math.abs(d.video - d.audio)).toBeLessThan(0.04);
    // every cut: the face goes on from where it was (frame indices on both sides)
    const idx = await frameIndices(done.outputPath!);
    expect(Math.abs(idx.length - Math.round(sum * FPS))).toBeLessThanOrEqual(1);
    let at = 0;
    for (const [k, p] of parts.entries()) {
      at += Math.round(p * FPS);
      if (k === parts.length - 1) break;
      expect(continuous(idx[at - 1], idx[at]), `cut after segment ${k + 1}: frame ${at - 1} shows ${idx[at - 1]}, frame ${at} shows ${idx[at]}`).toBe(true);
    }
    // and no jump anywhere else either (the ping-pong loop never skips)
    for (let i = 1; i < idx.length; i++) expect(continuous(idx[i - 1], idx[i]), `frame ${i}`).toBe(true);
    // captions: each segment's cues start where its speech starts and end where its speech ends
    const cues = captionCues(done, kids, gw.segments.pauseSec)!;
    const quiet = await silences(done.outputPath!);
    let offset = 0;
    for (const [k, kid] of kids.entries()) {
      const own = cues.filter((c) => c.startSec >= offset - 1e-6 && c.endSec <= offset + kid.audioDurationSec! + 1e-6);
      expect(own.length, `cues of segment ${k + 1}`).toBeGreaterThan(0);
      expect(Math.abs(own[0].startSec - offset)).toBeLessThan(0.1);
      if (k < kids.length - 1) {
        // the pause after segment k is a silence in the stitched sound; the cues end where it begins
        const gap = quiet.find(([s, e]) => s < offset + kid.audioDurationSec! && e > offset + kid.audioDurationSec! - 0.05);
        expect(gap, `silence after segment ${k + 1}`).toBeDefined();
        expect(Math.abs(own.at(-1)!.endSec - gap![0])).toBeLessThan(0.1);
      }
      offset += kid.audioDurationSec!;
    }
    // the parts are gone once stitched; captions come over HTTP as SRT and WebVTT
    expect(kids.every((k) => !existsSync(k.outputPath!))).toBe(true);
    const srt = await fetch(`${t!.url}/api/tasks/${parent.id}/captions.srt`);
    expect(srt.status).toBe(200);
    expect(await srt.text()).toMatch(/^1\n00:00:00,000 --> 00:00:0\d,\d{3}\nPart 1 of the lesson/);
    const vtt = await (await fetch(`${t!.url}/api/tasks/${parent.id}/captions.vtt`)).text();
    expect(vtt.startsWith('WEBVTT\n\n00:00:00.000 --> ')).toBe(true);
    const status = (await (await fetch(`${t!.url}/api/status/${parent.id}`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ status: 'completed', progress: 100, segment_count: kids.length, captions: { srt: `/api/tasks/${parent.id}/captions.srt` } });
    expect((status.segments as Array<Record<string, unknown>>).map((s) => s.status)).toEqual(kids.map(() => 'completed'));
  }, 300_000);

  it('a segment that fails twice is retried alone and the video completes', async () => {
    const { gw } = await start();
    const failures = new Map<string, number>();
    for (const r of gw.scheduler.runners) {
      const video = r.engines.video;
      const render = video.render.bind(video);
      video.render = async (req) => {
        const task = await gw.store.get(req.code.split('-')[0]);
        if (task?.segmentIndex === 1 && (failures.get(task.id) ?? 0) < 2) {
          failures.set(task.id, (failures.get(task.id) ?? 0) + 1);
          throw new TaskError('render_failed', 'scripted render fault', { retryable: true });
        }
        return render(req);
      };
    }
    const parent = await submit(gw, SCRIPT);
    const done = await finalOf(gw, parent.id);
    expect(done.state, done.errorMessage ?? '').toBe('completed');
    const kids = await gw.store.listSegments(parent.id);
    expect(kids[1]).toMatchObject({ state: 'completed', attempt: 3 });
    expect(kids.filter((k) => k.segmentIndex !== 1).every((k) => k.attempt === 1)).toBe(true);
    const d = await streamDurations(done.outputPath!);
    expect(Math.abs(d.video - kids.reduce((a, k) => a + k.audioDurationSec!, 0))).toBeLessThanOrEqual(1 / FPS + 1e-3);
  }, 300_000);

  it('segments waiting for an earlier segment that is back in the queue do not hold every seat', async () => {
    // Segment 1's speech fails once and waits out a retry delay; meanwhile every slot claims
    // later segments, which wait for segment 1's length. Were those waiters to keep their seats,
    // no slot could claim segment 1 again and the script would never finish.
    const { gw } = await start({ scheduler: { retryBaseDelayMs: 1500 } });
    let failed = false;
    for (const r of gw.scheduler.runners) {
      const speech = r.engines.speech;
      const synthesize = speech.synthesize.bind(speech);
      speech.synthesize = async (req) => {
        const task = await gw.store.get(req.taskId);
        if (task?.segmentIndex === 0 && !failed) {
          failed = true;
          throw new TaskError('tts_failed', 'scripted TTS fault', { retryable: true });
        }
        return synthesize(req);
      };
    }
    const parent = await submit(gw, SCRIPT);
    expect(parent.segmentCount).toBeGreaterThan(gw.scheduler.runners.length * 2); // more than every seat
    const done = await finalOf(gw, parent.id);
    expect(done.state, done.errorMessage ?? '').toBe('completed');
    const kids = await gw.store.listSegments(parent.id);
    expect(kids[0]).toMatchObject({ state: 'completed', attempt: 2 });
  }, 300_000);

  it('a segment that fails for good fails the task naming it; nothing is left running or on disk', async () => {
    const { gw, dataDir } = await start();
    for (const r of gw.scheduler.runners) {
      const video = r.engines.video;
      const render = video.render.bind(video);
      video.render = async (req) => {
        const task = await gw.store.get(req.code.split('-')[0]);
        if (task?.segmentIndex === 2) throw new TaskError('input_invalid', 'the face cannot be rendered');
        return render(req);
      };
    }
    const parent = await submit(gw, SCRIPT);
    const done = await finalOf(gw, parent.id);
    expect(done).toMatchObject({ state: 'failed', errorCode: 'input_invalid' });
    expect(done.errorMessage).toMatch(/^Segment 3 of \d+ failed: the face cannot be rendered/);
    const kids = await waitFor(async () => {
      const k = await gw.store.listSegments(parent.id);
      return k.every((c) => isFinal(c.state)) && gw.scheduler.runners.every((r) => !r.busy) ? k : undefined;
    }, 60_000);
    expect(kids[2].state).toBe('failed');
    expect(kids.filter((k) => k.state === 'completed' || k.state === 'canceled').length).toBe(kids.length - 1);
    const status = (await (await fetch(`${t!.url}/api/status/${parent.id}`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ status: 'failed', error_code: 'input_invalid' });
    // no work dir of a segment stays behind once it ended
    await waitFor(async () => kids.every((k) => !existsSync(`${dataDir}/work/${k.id}/face.mp4`) || k.state !== 'completed'));
    expect(readdirSync(`${dataDir}/outputs`).some((f) => f.startsWith(parent.id) && f.endsWith('.mp4'))).toBe(false);
  }, 300_000);

  it('canceling the task cancels every segment and frees every slot', async () => {
    const { gw } = await start();
    const parent = await submit(gw, SCRIPT);
    await waitFor(async () => (await gw.store.listSegments(parent.id)).some((k) => k.state === 'rendering' || k.state === 'tts'), 120_000);
    expect(await gw.lifecycle.cancel(parent.id)).toMatchObject({ state: 'canceled' });
    const kids = await waitFor(async () => {
      const k = await gw.store.listSegments(parent.id);
      return k.every((c) => isFinal(c.state)) && gw.scheduler.runners.every((r) => !r.busy) ? k : undefined;
    }, 60_000);
    expect(kids.every((k) => k.state === 'canceled' || k.state === 'completed')).toBe(true);
    expect(kids.some((k) => k.state === 'canceled')).toBe(true);
    expect((await gw.store.get(parent.id))?.state).toBe('canceled');
  }, 300_000);

  it('captions: burn re-encodes the captions into a one-segment video; a bad value is a 400', async () => {
    const { url, gw } = await start();
    const bad = await fetch(`${url}/api/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Hi.', captions: 'loud' }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'input_invalid' });
    const res = await fetch(`${url}/api/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'A short line, with $x^2$ in it.', captions: 'burn' }) });
    const id = ((await res.json()) as { task_id: string }).task_id;
    const done = await finalOf(gw, id);
    expect(done).toMatchObject({ state: 'completed', segmentCount: null, captions: 'burn' });
    const d = await streamDurations(done.outputPath!);
    expect(Math.abs(d.video - done.audioDurationSec!)).toBeLessThan(0.2);
    const srt = await (await fetch(`${url}/api/tasks/${id}/captions.srt`)).text();
    expect(srt).toContain('A short line, with x² in it.');
  }, 300_000);
});
