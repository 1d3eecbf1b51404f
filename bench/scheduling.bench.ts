/**
 * Scheduling efficiency against protocol-exact fakes: M text-only tasks on G slots, the gateway
 * on its default settings (unless `heygem` overrides are given).
 *
 * ideal = the makespan with no gap at all between jobs, for the render times each GPU actually
 * ran (the fake's time may exceed the drawn one when muxing its MP4 is slow): max over GPUs of
 * TTS + Σ render (pipelined) or Σ (TTS + render); efficiency = ideal / measured makespan.
 * GPU busy share, idle gaps and detection delays come from the containers' own job records.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config/load.js';
import { newTaskId } from '../src/domain/ids.js';
import type { Task } from '../src/domain/task.js';
import { describeRenderTimeModel, type RenderTimeModel } from '../src/simulate/render-time.js';
import { seededRandom } from '../src/simulate/serial-server.js';
import type { FakeProgressMode } from '../src/simulate/video-container.fake.js';
import { createGateway } from '../src/gateway.js';
import { EtaSampler } from './lib/eta-accuracy.js';
import { startFarmProcess } from './lib/farm-process.js';
import { preparedFarmResults } from './lib/prepared-farm.js';
import { startRemoteRunners } from './lib/remote-runners.js';
import { gpuOccupancy, p } from './lib/gpu-records.js';
import { median, round } from './lib/stats.js';

export interface SchedulingParams {
  gpus: number;
  tasks: number;
  ttsMs: number;
  /** Mean render time. */
  renderMs: number;
  pipelining: boolean;
  /** How long the fake's result keeps growing after "done" (real containers: "a moment"). */
  growMs: number;
  /** Render-time distribution; default fixed at renderMs. */
  renderTime?: RenderTimeModel;
  progress?: FakeProgressMode;
  /** Texts of varied length (speech 1–7 s), so proportional render times differ. */
  variedText?: boolean;
  /** Gateway `heygem.*` overrides (e.g. watchResultFile: false). */
  heygem?: Record<string, unknown>;
  /** Other gateway settings, merged over the bench's (e.g. `checks: { output: { enabled: false } }`). */
  gateway?: Record<string, unknown>;
  /** Seeds the render times and texts; each run of a repeat gets its own. */
  seed?: number;
  label?: string;
  /** Every GPU behind a remote runner (one per GPU, over HTTP on loopback); the gateway has no slots. */
  remote?: boolean;
  /** Niceness of the simulated farm's process (and its ffmpeg): 19 keeps its encoding off the gateway's share. */
  farmNice?: number;
  /**
   * Scale runs: wait for the tasks through lifecycle events instead of polling every task, and
   * sample no ETAs, so the bench's own work does not count as the gateway's CPU.
   */
  lean?: boolean;
  /**
   * A lightweight farm: the fakes copy pre-encoded results (src/simulate/prepared-results.ts)
   * instead of running ffprobe/ffmpeg per job, so at 24–48 GPUs their encoding does not starve
   * the gateway on a small machine. The slots' default face is the one the results are made of.
   */
  lightFarm?: boolean;
}

/** CPU seconds of this process's waited-for children (ffmpeg/ffprobe the gateway ran): /proc/self/stat. */
function childrenCpuMs(): number {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return ((Number(f[13]) + Number(f[14])) * 1000) / 100; // cutime + cstime, in clock ticks (100 Hz)
  } catch {
    return NaN;
  }
}

const WORDS = 'the quick brown fox jumps over a lazy dog while seven tired bakers sing about rain'.split(' ');

function taskText(i: number, varied: boolean, random: () => number): string {
  if (!varied) return `Benchmark task ${i}.`;
  const n = 2 + Math.floor(random() * 18); // ~20–120 characters → ~1–7 s of speech
  return `Task ${i}: ${Array.from({ length: n }, (_, k) => WORDS[(i + k * 7) % WORDS.length]).join(' ')}.`;
}

export async function runScheduling(o: SchedulingParams): Promise<Record<string, number | string | boolean>> {
  const base = mkdtempSync(join(tmpdir(), 'hg-bench-sched-'));
  const seed = o.seed ?? 1;
  // The containers run in their own process, as real ones do. Seeds: different but
  // reproducible draws per GPU and per run.
  const prepared = o.lightFarm ? await preparedFarmResults() : undefined;
  const farm = await startFarmProcess(
    { gpus: o.gpus, baseDir: join(base, 'farm'), host: '127.0.0.1', renderMs: o.renderMs, ttsMs: o.ttsMs, prepared, video: { growMs: o.growMs, renderTime: o.renderTime, progress: o.progress } },
    Array.from({ length: o.gpus }, (_, i) => seed * 101 + i),
    o.farmNice ?? 0,
  );
  const slots = farm.slots.map((s) => ({ id: s.id, video: { url: s.videoUrl, dataDir: s.videoDataDir }, tts: { url: s.ttsUrl, dataDir: s.ttsDataDir }, ...(prepared ? { defaultFace: prepared.face } : {}) }));
  const settings = { engine: 'heygem', scheduler: { pipelining: o.pipelining }, ...(o.heygem ? { heygem: o.heygem } : {}), ...o.gateway };
  const config = loadConfig({ env: {} as NodeJS.ProcessEnv, inline: { dataDir: join(base, 'data'), ...settings, slots: o.remote ? [] : slots } });
  const gw = await createGateway(config, { log: pino({ level: 'silent' }) });
  const remote = o.remote ? await startRemoteRunners(gw, base, slots, settings) : null;
  // Gateway cost: this process's CPU (the gateway runs in it) and its media children's, from the
  // first submit to the last task's end; peak RSS sampled every 100 ms.
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const rssTimer = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
  const finals = new Set<string>();
  let allFinal: () => void = () => undefined;
  const allFinalP = new Promise<void>((r) => (allFinal = r));
  gw.lifecycle.on('change', ({ task }) => {
    if ((task.state === 'completed' || task.state === 'failed' || task.state === 'canceled') && task.parentId === null) finals.add(task.id);
    if (finals.size >= o.tasks) allFinal();
  });
  const cpu0 = process.cpuUsage();
  const children0 = childrenCpuMs();
  try {
    const random = seededRandom(seed);
    const start = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < o.tasks; i++) {
      const text = taskText(i, o.variedText ?? false, random);
      const t = await gw.store.create({ id: newTaskId(), text, normalizedText: text, createdAt: Date.now() });
      gw.lifecycle.accepted(t);
      ids.push(t.id);
    }
    gw.scheduler.notify();
    const deadline = start + 20 * (o.ttsMs + o.renderMs) * Math.ceil(o.tasks / o.gpus) + 60_000;
    let tasks: Task[] = [];
    const etaSampler = new EtaSampler(gw.eta);
    if (o.lean) {
      await Promise.race([allFinalP, new Promise((r) => setTimeout(r, deadline - Date.now()).unref())]);
      tasks = (await Promise.all(ids.map((id) => gw.store.get(id)))) as Task[];
    }
    while (!o.lean && Date.now() < deadline) {
      tasks = (await Promise.all(ids.map((id) => gw.store.get(id)))) as Task[];
      if (tasks.every((t) => t.state === 'completed' || t.state === 'failed')) break;
      await etaSampler.maybeSample(tasks, Date.now());
      await new Promise((r) => setTimeout(r, 20));
    }
    const cpu = process.cpuUsage(cpu0);
    const childrenMs = childrenCpuMs() - children0;
    clearInterval(rssTimer);
    const done = tasks.filter((t) => t.state === 'completed');
    const makespan = Math.max(...tasks.map((t) => t.finishedAt ?? Date.now())) - start;
    const stats = await farm.videoStats();
    const speechReadyAt = new Map(tasks.filter((t) => t.ttsEndedAt !== null).map((t) => [t.id, t.ttsEndedAt!] as const));
    const occ = gpuOccupancy(stats.map((s) => s.history), speechReadyAt);
    const queries = stats.reduce((n, s) => n + s.queries, 0);
    const ideal = Math.max(...occ.busyMsPerGpu.map((busy, g) => busy + (o.pipelining ? 1 : occ.jobsPerGpu[g]) * o.ttsMs));
    const ttsOverhead = done.map((t) => t.ttsEndedAt! - t.ttsStartedAt! - o.ttsMs);
    return {
      case: o.label ?? (o.pipelining ? 'pipelining on' : 'pipelining off'),
      render: describeRenderTimeModel(o.renderTime ?? { kind: 'fixed' }),
      progress: o.progress ?? 'stages',
      pipelining: o.pipelining,
      gpus: o.gpus,
      tasks: o.tasks,
      completed: done.length,
      // what the others ended with (e.g. fakes starved on a saturated machine time out)
      not_completed: [...new Set(tasks.filter((t) => t.state !== 'completed').map((t) => `${t.state}:${t.errorCode ?? ''}`))].join(' ') || '-',
      tts_ms: o.ttsMs,
      render_ms_mean: Math.round(occ.renderMs.reduce((a, b) => a + b, 0) / Math.max(1, occ.renderMs.length)),
      render_ms_p95: p(occ.renderMs, 0.95),
      ideal_makespan_s: round(ideal / 1000),
      makespan_s: round(makespan / 1000),
      efficiency: round(ideal / makespan),
      gpu_busy_share: round(occ.busyShare),
      gpu_idle_between_jobs_p50_ms: p(occ.idleGaps, 0.5),
      gpu_idle_between_jobs_p95_ms: p(occ.idleGaps, 0.95),
      done_detection_p50_ms: p(occ.detectDelays, 0.5),
      done_detection_p95_ms: p(occ.detectDelays, 0.95),
      submit_after_detect_p50_ms: p(occ.submitAfterDetect, 0.5),
      submit_after_detect_p95_ms: p(occ.submitAfterDetect, 0.95),
      handover_p50_ms: p(occ.submitAfterReady, 0.5),
      handover_p95_ms: p(occ.submitAfterReady, 0.95),
      speech_late_handovers: occ.speechLate,
      queries_per_render: round(queries / Math.max(1, occ.renderMs.length), 1),
      tts_overhead_p50_ms: Math.round(median(ttsOverhead)),
      fake_result_grow_ms: o.growMs,
      farm_nice: o.farmNice ?? 0,
      light_farm: o.lightFarm ?? false,
      gateway_cpu_ms_per_task: Math.round((cpu.user + cpu.system) / 1000 / Math.max(1, done.length)),
      media_children_cpu_ms_per_task: Math.round(childrenMs / Math.max(1, done.length)),
      peak_rss_mb: round(rssPeak / 2 ** 20, 1),
      rss_per_slot_mb: round((rssPeak - rssBefore) / 2 ** 20 / o.gpus, 2),
      // ETA: median |estimate − actual| ÷ actual once warm: after the first 3 × gpus completions
      // (the first round runs all slots' start-up at once and is slower than the steady state).
      ...(o.lean ? {} : etaSampler.report(tasks, 3 * o.gpus)),
    };
  } finally {
    clearInterval(rssTimer);
    await remote?.close();
    await gw.close(0);
    await farm.close();
  }
}
