/**
 * A remote runner: this host's slots (same slot config and engines as a gateway) driven by the
 * same Scheduler / SlotRunner / TaskPipeline as local slots. Their ports are adapters over the
 * gateway's runner API: the attempt port is RemoteAttempts, the scheduler's work source is
 * RemoteWork. No lifecycle, no store, no database, Redis or shared disk here: the gateway's
 * tasks module decides every move; the dataDir holds only the input cache (input-cache.ts), the
 * job journal (job-journal.ts) and per-job work files.
 */
import { SegmentMedia } from '../segments/segment-media.js';
import { SegmentSteps } from '../segments/segment-steps.js';
import { EventEmitter } from 'node:events';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hostname } from 'node:os';
import type { GatewayConfig } from '../config/load.js';
import { renderCode, type Task } from '../domain/task.js';
import { ensurePreviewAssets } from '../engines/preview/assets.js';
import type { SlotEngines } from '../engines/ports.js';
import { slotEnginesOf } from '../engines/slot-engines.js';
import { API_VERSION } from '../domain/version.js';
import type { Logger } from '../logger.js';
import { FfmpegMedia } from '../media/ffmpeg.adapter.js';
import type { Media } from '../media/media.js';
import { systemClock } from '../tasks/clock.js';
import { describeSlot } from '../runner/cluster.js';
import { DataPaths } from '../runner/data-paths.js';
import { Scheduler } from '../runner/scheduler.js';
import { SlotRunner } from '../runner/slot-runner.js';
import { attachTaskLog } from '../runner/task-log.js';
import { TaskPipeline } from '../runner/task-pipeline.js';
import { NoGpuStats, type GpuStatsSource } from '../telemetry/gpu-stats.js';
import { NvidiaSmiSampler } from '../telemetry/nvidia-smi.js';
import { speechText } from '../language/speech-text.js';
import { HeldJobs } from './held-jobs.js';
import { InputCache } from './input-cache.js';
import { JobJournal } from './job-journal.js';
import { RemoteAttempts, type RunnerChanges } from './remote-attempts.js';
import { RemoteWork } from './remote-work.js';
import { RunnerApi } from './runner-api.client.js';

export interface RunnerNodeOptions {
  config: GatewayConfig;
  server: string;
  token: string;
  log: Logger;
  /** How long a call keeps retrying an unreachable gateway (default 2 × the lease). */
  retryForMs?: number;
  /** Long-poll wait of a work request. @defaultValue 20000 */
  pollWaitMs?: number;
  cacheMaxFiles?: number;
  /** Replace the engines of every slot (tests). */
  slotEngines?: SlotEngines[];
  media?: Media;
}

export interface RunnerNode {
  nodeId: string;
  scheduler: Scheduler;
  /** Stop taking work; finish within graceMs, hand back what has not started rendering. */
  close(graceMs?: number): Promise<void>;
}

export async function startRunnerNode(o: RunnerNodeOptions): Promise<RunnerNode> {
  const { config, log } = o;
  const paths = new DataPaths(config.dataDir);
  await Promise.all([paths.outputs, paths.work, paths.assets].map((d) => mkdir(d, { recursive: true })));
  const media = o.media ?? new FfmpegMedia({ ffmpegPath: config.media.ffmpeg, ffprobePath: config.media.ffprobe, timeoutMs: config.media.timeoutMs });
  const engines = o.slotEngines ?? slotEnginesOf(config, media);
  const api = new RunnerApi({ server: o.server, token: o.token, log: log.child({ component: 'runner-api' }), retryForMs: o.retryForMs ?? 60_000, requestTimeoutMs: 30_000 });
  const clock = systemClock;
  const closing = new AbortController();
  const jobs = new HeldJobs(api, paths, new JobJournal(join(paths.root, 'jobs')), new InputCache(api, join(paths.root, 'cache'), o.cacheMaxFiles ?? 200, closing.signal), closing.signal);
  const changes: RunnerChanges = new EventEmitter();
  changes.setMaxListeners(0);
  const attempts = new RemoteAttempts(api, jobs, changes, clock, log, (): number => work.terms.leaseMs);
  const work = new RemoteWork(api, jobs, attempts, changes, log, o.pollWaitMs ?? 20_000, closing.signal);
  const terms = await work.connect(
    engines.map((e) => e.id),
    { host: hostname(), version: API_VERSION },
  );
  if (o.retryForMs === undefined) api.retryFor = Math.max(10_000, terms.leaseMs * 2);
  // Every move is the gateway's to decide; the log shows this runner's own.
  attachTaskLog(changes, log);
  const assets = await ensurePreviewAssets(config.dataDir, media, { espeakPath: config.media.espeak, voice: config.preview.voice });
  const pipelineDeps = {
    attempts,
    media,
    clock,
    paths,
    normalize: speechText,
    maxReferenceSeconds: config.limits.maxReferenceSeconds,
    fallbackToReferenceAudio: config.heygem.fallbackToReferenceAudio,
    // Segments of long scripts run here like on a local slot; their siblings' speech lengths
    // come from the gateway (docs/segments.md), polled gently since each look is an HTTP call.
    segments: new SegmentSteps(jobs, new SegmentMedia({ ffmpegPath: config.media.ffmpeg, ffprobePath: config.media.ffprobe, timeoutMs: config.media.timeoutMs }), paths, {
      pauseMs: config.segments.pauseMs,
      levelDb: config.segments.levelDb,
      partToleranceSec: config.segments.partTolerance,
      pollMs: 500,
    }),
    inputs: jobs, // library voices arrive with the job (docs/avatars.md)
  };
  const schedOpts = { ...config.scheduler, leaseMs: terms.leaseMs, heartbeatMs: terms.heartbeatMs };
  const defaultsOf = (id: number) => {
    const s = config.slots.find((x) => x.id === id);
    return { faceVideo: s?.defaultFace ?? assets.faceVideo, referenceVoice: s?.defaultVoice ?? assets.referenceVoice };
  };
  const runners = engines.map((e) => new SlotRunner(e, { pipeline: new TaskPipeline(pipelineDeps, e, defaultsOf(e.id)), attempts, clock, log: log.child({ slot: e.id }) }, schedOpts));
  const sampleGpus = config.telemetry.gpu === 'on' || (config.telemetry.gpu === 'auto' && config.engine === 'heygem');
  const gpuStats: GpuStatsSource = sampleGpus ? new NvidiaSmiSampler({ binary: config.telemetry.nvidiaSmi, intervalMs: config.telemetry.intervalMs }) : new NoGpuStats('GPU telemetry off');
  gpuStats.start();
  await drainOrphans(jobs, work, attempts, engines, paths, defaultsOf, log);
  const scheduler = new Scheduler(runners, work, clock, schedOpts, log, terms.nodeId, (r) => describeSlot(r, gpuStats) as unknown as Record<string, unknown>);
  await scheduler.start();
  let closed = false;
  return {
    nodeId: terms.nodeId,
    scheduler,
    async close(graceMs = 10_000) {
      if (closed) return;
      closed = true;
      gpuStats.stop();
      closing.abort(); // ends the pending work request
      await scheduler.stop(graceMs);
      // Renders keep their lease (a restart within it re-attaches them); earlier phases go back.
      const held = await work.inFlight().catch(() => [] as Task[]);
      for (const t of held) if (t.state !== 'rendering' && t.state !== 'collecting') await attempts.handBack(t).catch(() => undefined);
      await work.unregisterSlots().catch((err: unknown) => log.warn({ err }, 'could not unregister slots'));
      changes.removeAllListeners();
    },
  };
}

/**
 * After a crash: jobs in the journal the gateway no longer gives this runner (reaped and run
 * elsewhere, or canceled) may still be rendering in this host's containers. A submitted render
 * is drained (the container is busy until it ends) and its result offered; the gateway refuses
 * it (410) unless the attempt is still current, so nothing is replaced. The rest is dropped.
 */
async function drainOrphans(jobs: HeldJobs, work: RemoteWork, attempts: RemoteAttempts, engines: SlotEngines[], paths: DataPaths, defaultsOf: (id: number) => { faceVideo: string }, log: Logger): Promise<void> {
  const entries = await jobs.journal.list();
  if (!entries.length) return;
  const held = new Set((await work.inFlight()).map((t) => t.id));
  for (const e of entries) {
    if (held.has(e.job.id)) continue; // the scheduler's recovery takes it back
    const slot = engines.find((x) => x.id === e.slotId);
    const fence = { attempt: e.job.attempt, token: e.job.leaseToken ?? '' };
    const outPath = paths.output(e.job.id);
    // A result already collected here (its upload never got through) is offered as it is.
    const collected = await stat(outPath).then((st) => st.size > 0, () => false);
    if (!collected && (!slot || !e.renderSubmitted)) {
      await jobs.journal.remove(e.job.id);
      continue;
    }
    try {
      if (!collected) {
        await slot!.video.render({
          code: renderCode(e.job),
          audioPath: paths.speech(e.job.id),
          videoPath: defaultsOf(slot!.id).faceVideo,
          audioDurationSec: e.job.audioDurationSec ?? 0,
          outPath,
          resume: true,
          signal: new AbortController().signal,
        });
      }
      const status = await attempts.offerLateResult(e.job, fence, outPath);
      log.warn({ taskId: e.job.id, attempt: e.job.attempt, status }, status === 200 ? 'late result accepted' : 'late result refused by the gateway (the job went elsewhere); discarded');
    } catch (err) {
      log.warn({ taskId: e.job.id, err: (err as Error).message }, 'could not drain a job left from before a restart; dropped');
      await jobs.journal.remove(e.job.id);
    }
  }
}
