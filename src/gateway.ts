/**
 * Composition root: config → adapters → store, lifecycle, slot runners, scheduler.
 * The HTTP layer and the CLI both get a `Gateway`; tests build one with their own config.
 */
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { assertContainerDirs } from './config/container-dirs.js';
import type { GatewayConfig } from './config/load.js';
import type { SlotEngines } from './engines/ports.js';
import { slotEnginesOf } from './engines/slot-engines.js';
import { SPEECH_PREVIEW_CACHE_BYTES, SpeechPreview } from './speech-preview/speech-preview.js';
import { ensurePreviewAssets } from './engines/preview/assets.js';
import { createLogger, type Logger } from './logger.js';
import { DiskSpaceGuard } from './maintenance/disk-space.js';
import { FileRetention } from './maintenance/file-retention.js';
import { HealthMonitor } from './maintenance/health.js';
import { FfmpegMedia } from './media/ffmpeg.adapter.js';
import type { Media } from './media/media.js';
import { FrameSampler } from './media/frame-sampler.js';
import { FaceCheck } from './checks/face-check.js';
import { OutputGate } from './checks/output-gate.js';
import { FfmpegOutputInspector } from './checks/ffmpeg-output-inspector.js';
import { createProbeRender } from './checks/probe-render.js';
import { HumanFaceDetector, type FaceDetector } from './checks/human-face-detector.js';
import { setDefaultNiceness } from './media/process.js';
import { systemClock, type Clock } from './tasks/clock.js';
import { DataPaths } from './runner/data-paths.js';
import { TaskLifecycle } from './tasks/lifecycle.js';
import { ClusterView, describeSlot } from './runner/cluster.js';
import { Scheduler } from './runner/scheduler.js';
import { LocalWork } from './runner/work-source.js';
import { RunnerService } from './runners/runner-service.js';
import { LocalAttempts } from './runner/attempt.js';
import { SlotRunner } from './runner/slot-runner.js';
import { attachTaskLog } from './runner/task-log.js';
import { TaskPipeline, type SlotDefaults } from './runner/task-pipeline.js';
import { openTaskStore } from './store/open-store.js';
import { withDataKeys } from './store/data-keys.js';
import type { PostgresTaskStore } from './store/postgres.adapter.js';
import { acquireDataDirLock } from './store/data-dir-lock.js';
import type { TaskStore } from './store/task-store.js';
import { NoGpuStats, type GpuStatsSource } from './telemetry/gpu-stats.js';
import { GatewayMetrics } from './telemetry/metrics.js';
import { NvidiaSmiSampler } from './telemetry/nvidia-smi.js';
import { RecordRetention } from './maintenance/record-retention.js';
import { speechText, type Normalize } from './language/speech-text.js';
import { createPublisher } from './publish/create-publisher.js';
import type { Publisher } from './publish/publisher.service.js';
import { Segments } from './segments/segments.js';
import { createLibrary } from './library/create-library.js';
import type { LibraryService } from './library/library.service.js';
import { createPipelines, type Pipelines } from './batches/pipelines.js';
import { registerBackPressureMetrics } from './batches/pipeline-metrics.js';
import type { BatchCompletedEvent } from './batches/batch-service.js';
import { createWebhooks } from './webhooks/create-webhooks.js';
import { EtaService } from './eta/eta.service.js';
import type { Resolver } from './webhooks/ssrf.js';
import type { Webhooks } from './webhooks/webhooks.service.js';
import { openSideSql } from './store/side-sql.js';
import { POSTGRES_TEMPLATES, SQLITE_TEMPLATES, TEMPLATES_MIGRATION_LOCK_KEY } from './store/migrations/templates.js';
import { TemplateStore } from './templates/template-store.js';
import { TemplatesService } from './templates/templates.service.js';
import { UsageStore } from './usage/usage-store.js';
import { UsageService } from './usage/usage.service.js';
import { isFinal, TASK_STATES } from './domain/task.js';
import { estimateVideoSeconds } from './usage/usage.js';

export interface Gateway {
  config: GatewayConfig;
  store: TaskStore;
  lifecycle: TaskLifecycle;
  scheduler: Scheduler;
  media: Media;
  paths: DataPaths;
  gpuStats: GpuStatsSource;
  clock: Clock;
  log: Logger;
  startedAt: number;
  normalize: Normalize;
  /** Stop taking work, finish or hand back in-flight tasks within graceMs, close the store. */
  close(graceMs?: number): Promise<void>;
  /** Scheduled removal of old per-task files (config fileRetention). */
  fileRetention: FileRetention;
  /** Scheduled removal of old finished task records (config retention). */
  recordRetention: RecordRetention;
  metrics: GatewayMetrics;
  /** This process's name in the deployment (leases and slots are held in it). */
  nodeId: string;
  /** Every GPU slot of the deployment (local and other nodes'). */
  cluster: ClusterView;
  /** Live/ready/summary health and the free-space guard (docs/operations.md). */
  health: HealthMonitor;
  /** Uploads finished videos to the configured targets (docs/publishing.md). */
  publisher: Publisher;
  /** Long scripts: split, segment steps, stitching, captions (docs/segments.md). */
  segments: Segments;
  /** Avatars and voices, reused by id (docs/avatars.md). */
  library: LibraryService;
  /** Batches, Idempotency-Key answers, queue admission (docs/batches.md). */
  pipelines: Pipelines;
  /** Signed webhooks: per-task callbacks and per-key endpoints (docs/webhooks.md). */
  webhooks: Webhooks;
  /** ETA of tasks from learned speeds and the queue (docs/api.md, "ETA"). */
  eta: EtaService;
  /** Face and media checks of uploaded face videos (docs/checks.md). */
  faceCheck: FaceCheck;
  /** The face video a task without upload or avatar uses (the first slot's; caption previews draw on it). */
  defaultFaceVideo: string;
  /** The output check of every result before `completed` (docs/checks.md). */
  outputGate: OutputGate;
  /** Listen before render: speech only, cached by content (docs/api.md, "Speech preview"). */
  speechPreview: SpeechPreview;
  /** Scripts with {{variables}}, versioned (docs/templates.md). */
  templates: TemplatesService;
  /** Video and GPU seconds per key, monthly budgets (docs/templates.md, "Usage"). */
  usage: UsageService;
  /** The gateway side of remote runners (docs/runners.md); its routes are http/routes/runners.route.ts. */
  runners: RunnerService;
}

export interface GatewayOverrides {
  log?: Logger;
  clock?: Clock;
  media?: Media;
  store?: TaskStore;
  gpuStats?: GpuStatsSource;
  /** Replace the engines of every slot (tests). */
  slotEngines?: SlotEngines[];
  /** Where publish credentials are read from (tests); default process.env. */
  publishEnv?: NodeJS.ProcessEnv;
  /** Replace DNS for webhook targets (tests). */
  webhookResolver?: Resolver;
  /** Replace the face detector (tests); default BlazeFace on the WASM backend. */
  faceDetector?: FaceDetector;
}

export async function createGateway(config: GatewayConfig, o: GatewayOverrides = {}): Promise<Gateway> {
  const log = o.log ?? createLogger(config.logLevel);
  // Wall-clock start, taken before any work begins: file mtimes are compared with it.
  const wallStart = Date.now();
  const clock = o.clock ?? systemClock;
  const paths = new DataPaths(config.dataDir);
  // Container dirs are never created here: a typo would be a dir no container mounts.
  if (config.engine === 'heygem' && !o.slotEngines) assertContainerDirs(config.slots);
  await Promise.all([paths.uploads, paths.outputs, paths.work, paths.assets].map((d) => mkdir(d, { recursive: true })));
  setDefaultNiceness(config.media.niceness); // ffmpeg/espeak children yield the CPU to the API
  const media = o.media ?? new FfmpegMedia({ ffmpegPath: config.media.ffmpeg, ffprobePath: config.media.ffprobe, timeoutMs: config.media.timeoutMs });
  const faceCheck = new FaceCheck(
    config.checks,
    o.faceDetector ?? new HumanFaceDetector({ minConfidence: config.checks.minConfidence }),
    new FrameSampler({ ffmpegPath: config.media.ffmpeg, timeoutMs: config.media.timeoutMs }),
  );
  const nodeId = config.node.id ?? hostname();
  // One process per data dir with the embedded store (src/store/data-dir-lock.ts).
  const lock = !o.store && config.store.driver === 'sqlite' ? acquireDataDirLock(config.dataDir) : null;
  let store: TaskStore;
  try {
    // Records name files by key relative to dataDir (store/data-keys.ts, docs/runners.md).
    store = withDataKeys(o.store ?? (await openTaskStore(config.store, { sqlitePath: paths.database, nodeId, log: log.child({ component: 'store' }) })), paths.root);
  } catch (err) {
    lock?.release();
    throw err;
  }
  const lifecycle = new TaskLifecycle(store, clock, config.scheduler, log);
  // Publications live in the task store's database; with PostgreSQL they share its pool.
  const pgPool = config.store.driver === 'postgres' && 'pool' in store ? (store as PostgresTaskStore).pool : undefined;
  const publisher = await createPublisher(config, { tasks: store, clock, log, env: o.publishEnv ?? process.env, databasePath: paths.database, pgPool, nodeId });
  lifecycle.on('change', publisher.onTaskChange);
  await publisher.start();
  const webhooks = await createWebhooks(config, { tasks: store, clock, log, env: o.publishEnv ?? process.env, databasePath: paths.database, pgPool, nodeId, resolver: o.webhookResolver });
  lifecycle.on('change', webhooks.onTaskChange);
  await webhooks.start();
  attachTaskLog(lifecycle, log); // one info line per task transition
  const assets = await ensurePreviewAssets(config.dataDir, media, { espeakPath: config.media.espeak, voice: config.preview.voice });
  const engines = o.slotEngines ?? slotEnginesOf(config, media);
  const normalize = speechText;
  const segments = new Segments(config, { store, lifecycle, paths, clock, log, normalize });
  const library = await createLibrary(config, { store, paths, media, clock, log: log.child({ component: 'library' }), pgPool });
  const sideSql = await openSideSql({ sqlitePath: paths.database, pgPool, ddl: { sqlite: SQLITE_TEMPLATES, postgres: POSTGRES_TEMPLATES }, lockKey: TEMPLATES_MIGRATION_LOCK_KEY });
  const templates = new TemplatesService(new TemplateStore(sideSql), { maxScriptChars: config.limits.maxTextChars }, () => clock.now());
  const unfinished = TASK_STATES.filter((st) => !isFinal(st));
  const usage = new UsageService(new UsageStore(sideSql), config.usage, clock, log.child({ component: 'usage' }), async (owner) => {
    const { items } = await store.list({ owner, states: unfinished, limit: 10_000, offset: 0 });
    return estimateVideoSeconds(items.map((t) => t.normalizedText ?? t.text), segments.rate.charsPerSecond);
  });
  lifecycle.on('change', usage.onTaskChange);
  segments.backups.onBackupEnded((task, slotId, ms) => usage.backupRendered(task, slotId, ms));
  const { enabled: checkOutputs, preferOtherSlotMs, degradeAfter, probeAfterMs, ...outputRules } = config.checks.output;
  const inspector = new FfmpegOutputInspector(media, { ffmpegPath: config.media.ffmpeg, timeoutMs: config.media.timeoutMs, rules: outputRules });
  const outputGate = new OutputGate({ inspector, recorder: lifecycle, log: log.child({ component: 'output-check' }), enabled: checkOutputs });
  segments.coordinator.outputGate = outputGate;
  const attempts = new LocalAttempts(lifecycle);
  const pipelineDeps = {
    outputGate,
    segments: segments.steps,
    backups: segments.backups,
    inputs: library,
    attempts,
    media,
    clock,
    paths,
    normalize,
    maxReferenceSeconds: config.limits.maxReferenceSeconds,
    fallbackToReferenceAudio: config.heygem.fallbackToReferenceAudio,
  };
  const defaultsOf = (id: number): SlotDefaults => {
    const slotCfg = config.slots.find((s) => s.id === id);
    return { faceVideo: slotCfg?.defaultFace ?? assets.faceVideo, referenceVoice: slotCfg?.defaultVoice ?? assets.referenceVoice };
  };
  const probeRender = checkOutputs ? createProbeRender({ inspector, workDir: paths.work, defaults: defaultsOf, now: () => clock.now() }) : undefined;
  const runners = engines.map((e) => {
    const deps = { pipeline: new TaskPipeline(pipelineDeps, e, defaultsOf(e.id)), attempts, clock, log: log.child({ slot: e.id }), probeRender };
    return new SlotRunner(e, deps, { ...config.scheduler, degradeAfter, probeAfterMs });
  });
  const sampleGpus = config.telemetry.gpu === 'on' || (config.telemetry.gpu === 'auto' && config.engine === 'heygem');
  const gpuStats =
    o.gpuStats ??
    (sampleGpus
      ? new NvidiaSmiSampler({ binary: config.telemetry.nvidiaSmi, intervalMs: config.telemetry.intervalMs })
      : new NoGpuStats(config.engine === 'preview' ? 'preview engine: no GPUs' : 'GPU telemetry off (telemetry.gpu)'));
  gpuStats.start();
  const scheduler = new Scheduler(runners, new LocalWork(store, lifecycle), clock, { ...config.scheduler, preferOtherSlotMs }, log, nodeId, (r) => describeSlot(r, gpuStats), segments.backups);
  const cluster = new ClusterView(store, config.scheduler.enabled ? runners : [], gpuStats, clock, nodeId, config.scheduler.leaseMs);
  const eta = new EtaService(store, cluster, clock, {
    renderSecPerSpeechSec: config.heygem.defaultRenderSecPerSpeechSec,
    speechSecPerChar: 0.07,
    ttsSecPerChar: 0.03,
    overheadSec: 1,
    pipelining: config.scheduler.pipelining,
  });
  lifecycle.on('change', eta.onTaskChange);
  await eta.seed().catch((err: unknown) => log.warn({ err }, 'eta: could not read recent history'));
  // What every way out of here closes last, in this order (a failed start, and close()).
  const closeAdapters = async () => {
    lifecycle.close();
    await publisher.close();
    await library.store.close();
    await sideSql.close();
    await webhooks.close();
    await store.close();
    lock?.release();
  };
  if (config.scheduler.enabled) {
    try {
      await scheduler.start();
    } catch (err) {
      gpuStats.stop();
      await scheduler.stop(0);
      await closeAdapters();
      throw err;
    }
  }
  segments.coordinator.start();
  const health = new HealthMonitor({
    store,
    // An API-only node (scheduler.enabled: false) drives none of its configured slots.
    slots: () => (config.scheduler.enabled ? scheduler.runners : []),
    deploymentSlots: () => cluster.slots(),
    disk: new DiskSpaceGuard(config.dataDir, config.limits.minFreeDiskBytes),
    probeAll: () => scheduler.probeAll(),
  });
  void health.startProbe(); // /api/health says `starting` until this settles
  const fileRetention = new FileRetention(
    store,
    {
      uploads: paths.uploads,
      work: paths.work,
      outputs: paths.outputs,
      videoTemp: config.slots.map((s) => `${s.videoDataDir}/temp`),
      ttsReference: config.slots.map((s) => `${s.ttsDataDir}/reference`),
    },
    config.fileRetention,
    log.child({ component: 'retention' }),
    () => clock.now(),
  );
  fileRetention.start();
  void fileRetention.clearInterruptedReferences(wallStart).catch((err: unknown) => log.warn({ err }, 'could not clear interrupted reference copies'));
  const recordRetention = new RecordRetention(store, clock, config.retention, log);
  recordRetention.start();
  const metrics = new GatewayMetrics({ lifecycle, scheduler, store, gpuStats, publisher, backups: segments.backups, retention: recordRetention, outputChecks: outputGate });
  // The first slot's speech engine speaks previews (on heygem its TTS container: seconds, not a render).
  const firstSlot = config.slots.find((s) => s.id === engines[0]?.id);
  const speechPreview = new SpeechPreview({
    engine: engines[0]?.speech ?? null,
    dir: paths.speechPreviews,
    defaultVoice: firstSlot?.defaultVoice ?? assets.referenceVoice,
    maxCacheBytes: SPEECH_PREVIEW_CACHE_BYTES,
    duration: (p) => media.duration(p),
    onAnswer: (cache) => metrics.speechPreviews.inc({ cache }),
  });
  const pipelines = createPipelines(config, {
    tasks: store,
    lifecycle,
    scheduler,
    publisher,
    clock,
    normalize,
    log: log.child({ component: 'batches' }),
    attachInputs: (taskId, refs) => library.attach(taskId, refs),
    createTask: (t) => segments.create(t),
    admitUsage: (owner, tasks) => usage.admit(owner, estimateVideoSeconds(tasks.map((t) => t.normalizedText), segments.rate.charsPerSecond)),
    attachTemplate: (taskId, ref) => templates.attach(taskId, ref),
  });
  registerBackPressureMetrics(metrics.registry, pipelines.admission);
  // A finished batch is a webhook event for its key's endpoints; keyed by batch id, so the
  // event is recorded once even when two nodes see the batch finish.
  pipelines.batches.on('batch.completed', (e: BatchCompletedEvent) => {
    webhooks.emit('batch.completed', e.owner, e.payload, { key: `batch:${e.batchId}` }).catch((err: unknown) => log.warn({ err, batchId: e.batchId }, 'could not record the batch.completed webhook event'));
  });
  const runnerService = new RunnerService({ config, store, lifecycle, clock, metrics, library, media, paths, outputGate, segments });
  let closed = false;
  return {
    config,
    store,
    lifecycle,
    scheduler,
    media,
    paths,
    gpuStats,
    clock,
    log,
    fileRetention,
    recordRetention,
    metrics,
    health,
    publisher,
    segments,
    library,
    pipelines,
    webhooks,
    eta,
    faceCheck,
    outputGate,
    speechPreview,
    defaultFaceVideo: config.slots[0]?.defaultFace ?? assets.faceVideo,
    templates,
    usage,
    runners: runnerService,
    startedAt: clock.now(),
    normalize,
    nodeId,
    cluster,
    async close(graceMs = 10_000) {
      if (closed) return;
      closed = true;
      gpuStats.stop();
      await recordRetention.stop();
      pipelines.close();
      await fileRetention.stop();
      await scheduler.stop(graceMs);
      await segments.coordinator.stop();
      // Leaving cleanly: other nodes stop listing our GPUs. Attempts handed back on shutdown
      // keep their leases, so a restart within the lease re-attaches their renders.
      if (config.scheduler.enabled) await store.unregisterSlots(nodeId).catch((err: unknown) => log.warn({ err }, 'could not unregister slots'));
      runnerService.close();
      await closeAdapters();
    },
  };
}
