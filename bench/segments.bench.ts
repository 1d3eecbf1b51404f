/**
 * Long scripts (docs/segments.md): one 40-sentence script on 3 fake GPUs as segments, against
 * the same script as one task on one GPU, with protocol-exact fakes in their own process and
 * render times proportional to the speech with log-normal noise (not only proportional).
 *
 * lower bound = Σ render time of the segments (the fakes' own records, one render each) / GPUs
 *             + one segment's speech (its longest TTS call) + the stitch (parent collecting → done).
 *
 * A third model is closer to a real container: a fixed cost per job (warm-up, face
 * preprocessing) on top of the noisy proportional time, and parts that come back +1…+5 frames
 * longer than their speech (`-shortest` overshoot; each is cut back, part-fit.ts). Every row
 * also says when the first second could be watched: the first HLS segment available
 * (hls-stream.ts), against the whole task's time. `BENCH_SEGMENTS_MODEL=overshoot` runs that
 * model alone.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config/load.js';
import { newTaskId } from '../src/domain/ids.js';
import { isFinal, renderCode, type Task } from '../src/domain/task.js';
import { describeRenderTimeModel, type RenderTimeModel } from '../src/simulate/render-time.js';
import { createGateway } from '../src/gateway.js';
import { startFarmProcess } from './lib/farm-process.js';
import { round } from './lib/stats.js';

export interface LongScriptParams {
  gpus: number;
  sentences: number;
  ttsMs: number;
  renderTime: RenderTimeModel;
  segmented: boolean;
  targetSeconds?: number;
  seed?: number;
  /** Frames each part comes back longer (or shorter) than its speech, drawn per job. */
  lengthErrorFrames?: number[];
}

const TOPICS = ['the derivative', 'a vector field', 'the chain rule', 'an eigenvalue', 'the integral', 'a proof by induction', 'the limit', 'a matrix'];

/** A lesson of `n` sentences (~70 characters each, one of them with maths and a number). */
export function lessonScript(n: number): string {
  return Array.from({ length: n }, (_, i) =>
    i % 7 === 3 ? `Step ${i + 1}: remember that $x^2 + y^2 = r^2$ holds for 3.5 units.` : `Sentence ${i + 1} explains ${TOPICS[i % TOPICS.length]} in plain and simple words.`,
  ).join(' ');
}

export async function runLongScript(o: LongScriptParams): Promise<Record<string, number | string | boolean>> {
  const base = mkdtempSync(join(tmpdir(), 'hg-bench-seg-'));
  const farm = await startFarmProcess(
    { gpus: o.gpus, baseDir: join(base, 'farm'), host: '127.0.0.1', renderMs: 1000, ttsMs: o.ttsMs, video: { growMs: 50, renderTime: o.renderTime, ...(o.lengthErrorFrames ? { lengthErrorFrames: o.lengthErrorFrames } : {}) } },
    Array.from({ length: o.gpus }, (_, i) => (o.seed ?? 1) * 101 + i),
  );
  const config = loadConfig({
    env: {} as NodeJS.ProcessEnv,
    inline: {
      dataDir: join(base, 'data'),
      engine: 'heygem',
      slots: farm.slots.map((s) => ({ id: s.id, video: { url: s.videoUrl, dataDir: s.videoDataDir }, tts: { url: s.ttsUrl, dataDir: s.ttsDataDir } })),
      segments: { enabled: o.segmented, targetSeconds: o.targetSeconds ?? 20 },
    },
  });
  const gw = await createGateway(config, { log: pino({ level: process.env.BENCH_LOG ?? 'silent' }) });
  try {
    const text = lessonScript(o.sentences);
    const start = Date.now();
    const task = await gw.segments.create({ id: newTaskId(), text, normalizedText: gw.normalize(text), createdAt: start });
    gw.lifecycle.accepted(task);
    gw.scheduler.notify();
    let done: Task | undefined;
    let firstWatchable: number | undefined;
    const deadline = start + 15 * 60_000;
    while (Date.now() < deadline) {
      done = await gw.store.get(task.id);
      if (done && isFinal(done.state)) break;
      // the first second is watchable once the stream's first segment can be served
      if (firstWatchable === undefined && done?.segmentCount !== null && (await gw.store.listSegments(task.id))[0]?.state === 'completed') {
        if (await gw.segments.stream.segment(done!, 0).then(() => true, () => false)) firstWatchable = Date.now() - start;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    if (!done || done.state !== 'completed') throw new Error(`long script ended ${done?.state}: ${done?.errorMessage}`);
    const makespan = done.finishedAt! - start;
    // one task: its stream exists once it is completed, with the MP4
    firstWatchable ??= makespan;
    const kids = await gw.store.listSegments(task.id);
    const parts = kids.length ? kids : [done];
    // One render per segment counts: the shortest finished job of its final attempt (its own
    // render or a backup of it, docs/segments.md), so backups never make the bound easier.
    const jobs = (await farm.videoStats()).flatMap((s) => s.history).filter((j) => j.doneAt !== null);
    const renderMs = parts.reduce((a, p) => {
      const mine = jobs.filter((j) => j.code === renderCode(p) || j.code.startsWith(`${renderCode(p)}-b`)).map((j) => j.doneAt! - j.submittedAt);
      return a + (mine.length ? Math.min(...mine) : 0);
    }, 0);
    const speechMs = Math.max(...parts.map((p) => (p.ttsEndedAt ?? 0) - (p.ttsStartedAt ?? 0)));
    const stitchMs = kids.length ? done.finishedAt! - Math.max(...kids.map((k) => k.finishedAt ?? 0)) : 0;
    const bound = renderMs / o.gpus + speechMs + stitchMs;
    if (process.env.BENCH_TIMELINE) console.log(timelineOf(kids, start));
    return {
      case: o.segmented ? `${o.gpus} GPUs, segments` : `${o.gpus} GPU, one task`,
      render: `${describeRenderTimeModel(o.renderTime)}${o.lengthErrorFrames ? `, parts ${o.lengthErrorFrames.map((f) => (f > 0 ? `+${f}` : String(f))).join('/')} frames` : ''}`,
      sentences: o.sentences,
      segments: kids.length || 1,
      speech_s: round(parts.reduce((a, p) => a + (p.audioDurationSec ?? 0), 0)),
      render_total_s: round(renderMs / 1000),
      speech_call_s: round(speechMs / 1000),
      stitch_s: round(stitchMs / 1000),
      lower_bound_s: round(bound / 1000),
      first_watchable_s: round(firstWatchable / 1000),
      makespan_s: round(makespan / 1000),
      over_bound: round(makespan / bound - 1),
      backups_started: gw.segments.backups.counts.started,
      backups_won: gw.segments.backups.counts.won,
    };
  } finally {
    await gw.close(2000);
    await farm.close();
  }
}

/** Per-segment timeline (debugging the bench): ms from submit. */
export function timelineOf(kids: Task[], start: number): string {
  return kids.map((k) => `${k.segmentIndex}@${k.slotId} tts ${(k.ttsStartedAt ?? 0) - start}-${(k.ttsEndedAt ?? 0) - start} render ${(k.renderStartedAt ?? 0) - start}-${(k.finishedAt ?? 0) - start}`).join('\n');
}

type Model = { renderTime: RenderTimeModel; lengthErrorFrames?: number[] };

/**
 * The "Long scripts" section: for each render-time model, the script as one task on one GPU,
 * then as segments on `gpus` GPUs; the ratio of the two makespans and the distance from the
 * lower bound. Repeats report medians.
 */
export async function runLongScripts(o: { quick: boolean; repeat: number }): Promise<Array<Record<string, number | string | boolean>>> {
  const gpus = o.quick ? 2 : 3;
  const sentences = o.quick ? 8 : 40;
  const ms = o.quick ? 150 : 1000;
  // a container's own cost per job, and its parts' overshoot (ffmpeg's -shortest: +1…+5 frames)
  const overshoot: Model = { renderTime: { kind: 'scaled', msPerSpeechSec: ms, sigma: 0.3, jobMs: 3000 }, lengthErrorFrames: [1, 2, 3, 4, 5] };
  // quick (the smoke test): the cheapest model, as before; first watchable is measured anyway
  const all: Model[] = o.quick
    ? [{ renderTime: { kind: 'scaled', msPerSpeechSec: ms, sigma: 0.3 } }]
    : [{ renderTime: { kind: 'proportional', msPerSpeechSec: ms } }, { renderTime: { kind: 'scaled', msPerSpeechSec: ms, sigma: 0.3 } }, overshoot];
  const models = process.env.BENCH_SEGMENTS_MODEL === 'overshoot' ? [overshoot] : all;
  const rows: Array<Record<string, number | string | boolean>> = [];
  for (const { renderTime, lengthErrorFrames } of models) {
    for (let r = 0; r < o.repeat; r++) {
      const base = { sentences, ttsMs: 500, renderTime, lengthErrorFrames, seed: r + 1, targetSeconds: o.quick ? 6 : undefined }; // the default target otherwise
      const one = await runLongScript({ ...base, gpus: 1, segmented: false });
      const seg = await runLongScript({ ...base, gpus, segmented: true });
      rows.push(one, { ...seg, vs_one_gpu: round((seg.makespan_s as number) / (one.makespan_s as number)) });
    }
  }
  return rows;
}
