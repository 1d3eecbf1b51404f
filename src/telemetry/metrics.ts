/**
 * Prometheus metrics (prom-client), one registry per gateway so tests can build several.
 * Fed by task lifecycle events (outcomes, phase durations), read from scheduler/runner state
 * and the last GPU sample at scrape time. Names: heygem_gateway_*, documented in
 * docs/observability.md.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { TASK_STATES, isFinal } from '../domain/task.js';
import type { TaskChange, TaskLifecycle } from '../tasks/lifecycle.js';
import type { Scheduler } from '../runner/scheduler.js';
import type { TaskStore } from '../store/task-store.js';
import type { GpuStatsSource } from './gpu-stats.js';
import type { Publisher } from '../publish/publisher.service.js';

const P = 'heygem_gateway_';
/** Seconds: from sub-second TTS to ten-minute renders. */
const DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200];

export interface MetricsDeps {
  lifecycle: TaskLifecycle;
  scheduler: Scheduler;
  store: TaskStore;
  gpuStats: GpuStatsSource;
  publisher?: Publisher;
  /** Backup renders of segments (docs/segments.md): how many started and how many won. */
  backups?: { counts: { started: number; won: number } };
  /** Record retention (maintenance/record-retention.ts): rows deleted per table since start. */
  retention?: { pruned: Readonly<Record<string, number>> };
  /** The output check (checks/output-gate.ts): results checked and findings by code since start. */
  outputChecks?: { counts: Readonly<Record<string, number>> };
}

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  /** Speech previews answered, from the cache or synthesized (speech-preview/). */
  readonly speechPreviews: Counter<'cache'>;

  constructor(d: MetricsDeps) {
    const r = this.registry;
    collectDefaultMetrics({ register: r, prefix: P });
    const outcomes = new Counter({ name: `${P}task_outcomes_total`, help: 'Tasks that reached a final state, by status and error code', labelNames: ['status', 'error_code'], registers: [r] });
    const retries = new Counter({ name: `${P}task_retries_total`, help: 'Failed attempts handed back to the queue, by error code', labelNames: ['error_code'], registers: [r] });
    const phase = (name: string, help: string) => new Histogram({ name: `${P}${name}_seconds`, help, buckets: DURATION_BUCKETS, registers: [r] });
    const queueTime = phase('queue', 'Time from acceptance to a slot taking the task');
    const ttsTime = phase('tts', 'Speech synthesis time');
    const renderTime = phase('render', 'Render time: submit to result collected');
    const totalTime = phase('total', 'Time from acceptance to completion');
    d.lifecycle.on('change', ({ task, from }: TaskChange) => {
      if (from === task.state) return; // progress only
      if (task.state === 'queued' && from !== null && task.errorCode) retries.inc({ error_code: task.errorCode });
      if (!isFinal(task.state) || from === null) return;
      outcomes.inc({ status: task.state, error_code: task.errorCode ?? '' });
      if (task.state !== 'completed') return;
      const s = (a: number | null, b: number | null) => (a !== null && b !== null && b >= a ? (b - a) / 1000 : null);
      for (const [h, v] of [
        [queueTime, s(task.createdAt, task.startedAt)],
        [ttsTime, s(task.ttsStartedAt, task.ttsEndedAt)],
        [renderTime, s(task.renderStartedAt, task.renderEndedAt)],
        [totalTime, s(task.createdAt, task.finishedAt)],
      ] as const)
        if (v !== null) h.observe(v);
    });
    new Gauge({
      name: `${P}queue_depth`,
      help: 'Tasks waiting in the queue',
      registers: [r],
      async collect() {
        this.set(await d.store.queueSize());
      },
    });
    new Gauge({
      name: `${P}queue_oldest_age_seconds`,
      help: 'Age of the oldest waiting task (0 when the queue is empty)',
      registers: [r],
      async collect() {
        const [oldest] = await d.store.listQueued(1);
        this.set(oldest ? (Date.now() - oldest.createdAt) / 1000 : 0);
      },
    });
    new Gauge({
      name: `${P}tasks`,
      help: 'Tasks by state (whole history in the store)',
      labelNames: ['state'],
      registers: [r],
      async collect() {
        const counts = await d.store.countByState();
        for (const st of TASK_STATES) this.set({ state: st }, counts[st] ?? 0);
      },
    });
    const slotGauge = (name: string, help: string, value: (id: number) => number | null) =>
      new Gauge({
        name: `${P}${name}`,
        help,
        labelNames: ['slot'],
        registers: [r],
        collect() {
          for (const runner of d.scheduler.runners) {
            const v = value(runner.id);
            if (v !== null) this.set({ slot: String(runner.id) }, v);
          }
        },
      });
    const runner = (id: number) => d.scheduler.runners.find((x) => x.id === id)!;
    slotGauge('slot_busy', '1 while the slot works on a task', (id) => (runner(id).busy ? 1 : 0));
    slotGauge('slot_healthy', '1 while the slot takes work (0: circuit open)', (id) => (runner(id).healthy ? 1 : 0));
    slotGauge('slot_consecutive_failures', 'Consecutive engine faults of the slot', (id) => runner(id).consecutiveFailures);
    slotGauge('slot_degraded', '1 while the slot is degraded: its results failed the output check in a row; no work until a probe render passes or `slots clear`', (id) => (runner(id).degraded ? 1 : 0));
    if (d.outputChecks) {
      const counts = d.outputChecks.counts;
      new Counter({
        name: `${P}output_checks_total`,
        help: 'Findings of the output check on results, by code (none: a result with nothing found)',
        labelNames: ['code'],
        registers: [r],
        collect() {
          this.reset();
          for (const code of ['none', 'output_black', 'output_frozen', 'output_silent', 'output_av_drift', 'output_clipped']) this.inc({ code }, counts[code] ?? 0);
        },
      });
    }
    slotGauge('gpu_utilization_ratio', 'GPU utilization 0..1 (last nvidia-smi sample)', (id) => {
      const u = d.gpuStats.latest(id)?.utilizationPct;
      return u == null ? null : u / 100;
    });
    slotGauge('gpu_memory_used_bytes', 'GPU memory used (last nvidia-smi sample)', (id) => {
      const m = d.gpuStats.latest(id)?.memoryUsedMiB;
      return m == null ? null : m * 1024 * 1024;
    });
    slotGauge('gpu_memory_total_bytes', 'GPU memory total (last nvidia-smi sample)', (id) => {
      const m = d.gpuStats.latest(id)?.memoryTotalMiB;
      return m == null ? null : m * 1024 * 1024;
    });
    if (d.publisher) {
      const publishTotal = new Counter({ name: `${P}publish_total`, help: 'Publish attempts by target and outcome (done, retry, failed)', labelNames: ['target', 'outcome'], registers: [r] });
      const publishTime = new Histogram({ name: `${P}publish_duration_seconds`, help: 'Length of one publish attempt, by target and outcome', labelNames: ['target', 'outcome'], buckets: DURATION_BUCKETS, registers: [r] });
      for (const t of d.publisher.enabledTargets) for (const outcome of ['done', 'retry', 'failed']) publishTotal.inc({ target: t.id, outcome }, 0);
      d.publisher.on('outcome', (o) => {
        publishTotal.inc({ target: o.target, outcome: o.outcome });
        publishTime.observe({ target: o.target, outcome: o.outcome }, o.seconds);
      });
    }
    if (d.backups) {
      const counts = d.backups.counts;
      new Counter({
        name: `${P}backup_renders_total`,
        help: 'Backup renders of segments on idle GPUs, by outcome (started, won: its video was used)',
        labelNames: ['outcome'],
        registers: [r],
        collect() {
          this.reset();
          this.inc({ outcome: 'started' }, counts.started);
          this.inc({ outcome: 'won' }, counts.won);
        },
      });
    }
    this.speechPreviews = new Counter({ name: `${P}speech_preview_total`, help: 'Speech previews answered, by cache outcome (hit, miss)', labelNames: ['cache'], registers: [r] });
    if (d.retention) {
      const pruned = d.retention.pruned;
      new Counter({
        name: `${P}retention_pruned_rows_total`,
        help: 'Rows deleted by record retention, by table (old task records and what they left behind)',
        labelNames: ['table'],
        registers: [r],
        collect() {
          this.reset();
          for (const [table, n] of Object.entries(pruned)) this.inc({ table }, n);
        },
      });
    }
    this.httpRequests = new Counter({ name: `${P}http_requests_total`, help: 'HTTP requests by method, route pattern and status', labelNames: ['method', 'route', 'status'], registers: [r] });
    this.httpDuration = new Histogram({ name: `${P}http_request_duration_seconds`, help: 'HTTP request duration by route pattern', labelNames: ['method', 'route'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30], registers: [r] });
  }
}
