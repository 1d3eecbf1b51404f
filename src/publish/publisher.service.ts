/**
 * Publishing finished videos: when a task completes, one publication per chosen target is
 * recorded (durably) and uploaded in the background with bounded concurrency; failures retry
 * with exponential backoff + jitter up to `maxAttempts`, then the publication is `failed`.
 * Nothing here can fail the task: every fault ends in the publication record, never in the
 * task or the process. After a restart, pending and interrupted uploads continue.
 *
 * Several nodes on one database all hear every completion and all schedule its uploads; before
 * each attempt a node *claims* the publication (store.claim, a lease renewed while it uploads,
 * released when the attempt ends), so exactly one uploads it. A node that finds it claimed by
 * another looks again when that claim would lapse: if the holder died mid-upload, the survivor
 * takes over and resumes from the state the holder saved (docs/publishing.md, "Several nodes").
 */
import { EventEmitter } from 'node:events';
import { stat } from 'node:fs/promises';
import type { Task } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../tasks/clock.js';
import type { TaskChange } from '../tasks/lifecycle.js';
import { backoffDelayMs } from './backoff.js';
import { parsePublishChoice, type TargetRef } from './choice.js';
import { pendingPublication, presentPublications, type Publication, type TargetType } from './publication.js';
import type { PublicationStore } from './publication-store.js';
import { scrubSecrets } from './redact.js';
import { PublishError, type Uploader } from './uploader.js';

export interface PublisherTarget extends TargetRef {
  name: string;
  type: TargetType;
  /** Absent for a disabled target (no credentials are loaded for it). */
  uploader?: Uploader;
}

export interface PublishPolicy {
  maxAttempts: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  concurrency: number;
}

export interface PublisherDeps {
  store: PublicationStore;
  tasks: { get(id: string): Promise<Task | undefined> };
  targets: PublisherTarget[];
  policy: PublishPolicy;
  clock: Clock;
  log: Logger;
  /** Secret values scrubbed from every stored or logged error text. */
  secrets: string[];
  random?: () => number;
  /** This node's name in the deployment: the claim holder. */
  holder: string;
  /** How long a claim lasts unless renewed (renewed every third of it while uploading). */
  claimLeaseMs: number;
}

export type PublishOutcomeKind = 'done' | 'retry' | 'failed';

export interface PublishOutcome {
  taskId: string;
  target: string;
  type: TargetType;
  outcome: PublishOutcomeKind;
  /** Length of this attempt. */
  seconds: number;
  attempts: number;
}

const RECOVERY_LIMIT = 10_000;
const key = (taskId: string, target: string) => `${taskId}\u0000${target}`;

export class Publisher extends EventEmitter<{ outcome: [PublishOutcome] }> {
  private readonly targets: Map<string, PublisherTarget>;
  private readonly ready: Array<{ taskId: string; target: string }> = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private closed = false;
  /** Whether the store may hold anything to show (false: publishing off and nothing stored). */
  private hasRecords = true;

  constructor(private readonly d: PublisherDeps) {
    super();
    this.targets = new Map(d.targets.map((t) => [t.id, t]));
  }

  get enabledTargets(): PublisherTarget[] {
    return [...this.targets.values()].filter((t) => t.enabled && t.uploader);
  }

  /** Validate a request's `publish` field; throws PublishChoiceError (→ 400). */
  parseChoice(raw: unknown): string[] {
    return parsePublishChoice(raw, [...this.targets.values()]);
  }

  /** Remember which targets a newly accepted task asked for. */
  async requested(taskId: string, targets: readonly string[]): Promise<void> {
    // With no target enabled there is nothing to publish, nor a default to opt out of.
    if (this.enabledTargets.length === 0) return;
    await this.d.store.saveRequest(taskId, targets, this.d.clock.now());
  }

  /** Listen to task changes: a completed task gets published. */
  onTaskChange = ({ task, from }: TaskChange): void => {
    if (task.state !== 'completed' || from === 'completed' || this.closed || this.enabledTargets.length === 0) return;
    // After the current turn: the runner that completed the task releases its slot first.
    setImmediate(() => {
      if (this.closed) return;
      this.plan(task).catch((err) => this.d.log.error({ taskId: task.id, err: this.scrub(err) }, 'publish: planning failed'));
    });
  };

  /**
   * Resume after a restart: interrupted and pending uploads, and completed tasks never planned.
   * An `uploading` row is left as it is: it may be another live node's upload, and the claim
   * decides who goes on with it (this node at once when the claim is its own or has lapsed).
   */
  async start(): Promise<void> {
    this.hasRecords = this.enabledTargets.length > 0 || (await this.d.store.hasAny());
    const open = await this.d.store.listByState(['pending', 'uploading'], RECOVERY_LIMIT);
    for (const p of open) this.schedule(p.taskId, p.target, p.nextAttemptAt);
    for (const r of await this.d.store.unplannedRequests(RECOVERY_LIMIT)) {
      const task = await this.d.tasks.get(r.taskId);
      if (!task) await this.d.store.forget([r.taskId]);
      else if (task.state === 'completed') await this.plan(task);
    }
    if (open.length) this.d.log.info({ count: open.length }, 'publish: resuming uploads');
  }

  /** Fields for GET /api/status/:id (publications + the replaced system's vimeo_*). */
  async publicationStatusFields(taskId: string): Promise<Record<string, unknown>> {
    // Publishing off and nothing from earlier runs: the hot status route skips the store.
    if (!this.hasRecords) return presentPublications([]);
    const rows = await this.d.store.list(taskId);
    if (rows.length || this.enabledTargets.length === 0) return presentPublications(rows);
    // Requested but not planned yet (the task is still running, or its completion is being
    // handled right now): show the targets as pending, so a client that reads a just-completed
    // task knows uploads are coming and keeps looking.
    const req = await this.d.store.getRequest(taskId);
    if (!req || req.planned || !req.targets.length) return presentPublications(rows);
    return presentPublications(req.targets.map((target) => pendingPublication(taskId, target, this.targets.get(target)?.type ?? 'vimeo', req.createdAt)));
  }

  /** Stop: no new uploads; running ones are aborted and left to resume on the next start. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.ready.length = 0;
    const inFlight = [...this.running.values()];
    for (const r of inFlight) r.abort.abort();
    await Promise.allSettled(inFlight.map((r) => r.done));
    for (const t of this.targets.values()) t.uploader?.close?.();
    await this.d.store.close();
  }

  private scrub(err: unknown): string {
    const e = err as Error;
    return scrubSecrets(e?.message ?? String(err), this.d.secrets);
  }

  private async plan(task: Task): Promise<void> {
    const req = await this.d.store.getRequest(task.id);
    const ids = req ? req.targets : this.enabledTargets.filter((t) => t.default).map((t) => t.id);
    const chosen = ids.flatMap((id) => {
      const t = this.targets.get(id);
      if (t?.enabled && t.uploader) return [{ target: id, type: t.type }];
      this.d.log.warn({ taskId: task.id, target: id }, 'publish: target no longer configured or disabled; skipped');
      return [];
    });
    await this.d.store.plan(task.id, chosen, this.d.clock.now());
    // `uploading` too: with several nodes it may be another node's upload, and should that node
    // die, this one must be the one to look again (the claim keeps it out until then).
    for (const p of await this.d.store.list(task.id)) if (p.state === 'pending' || p.state === 'uploading') this.schedule(p.taskId, p.target, p.nextAttemptAt);
  }

  private schedule(taskId: string, target: string, at: number): void {
    const k = key(taskId, target);
    if (this.closed || this.timers.has(k) || this.running.has(k) || this.ready.some((r) => key(r.taskId, r.target) === k)) return;
    const delay = at - this.d.clock.now();
    if (delay <= 0) {
      this.ready.push({ taskId, target });
      this.pump();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(k);
      this.ready.push({ taskId, target });
      this.pump();
    }, delay);
    timer.unref();
    this.timers.set(k, timer);
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.d.policy.concurrency && this.ready.length) {
      const { taskId, target } = this.ready.shift()!;
      const abort = new AbortController();
      const k = key(taskId, target);
      const done = this.attempt(taskId, target, abort.signal)
        .catch((err) => {
          // The store failed (database down?): look again later rather than drop the upload.
          this.d.log.error({ taskId, target, err: this.scrub(err) }, 'publish: bookkeeping failed; will look again');
          return this.d.clock.now() + this.d.claimLeaseMs;
        })
        .then((retryAt) => {
          this.running.delete(k);
          if (retryAt !== null) this.schedule(taskId, target, retryAt);
          this.pump();
        });
      this.running.set(k, { abort, done });
    }
  }

  private async read(taskId: string, targetId: string): Promise<Publication | undefined> {
    const pub = (await this.d.store.list(taskId)).find((p) => p.target === targetId);
    return pub && (pub.state === 'pending' || pub.state === 'uploading') ? pub : undefined;
  }

  /**
   * Claim, attempt, release. Resolves to the time of the next attempt (or of the next look, when
   * another node holds the claim), or null when there is none.
   */
  private async attempt(taskId: string, targetId: string, signal: AbortSignal): Promise<number | null> {
    const { store, clock, holder, claimLeaseMs } = this.d;
    const seen = await this.read(taskId, targetId);
    if (!seen) return null;
    const now = clock.now();
    // Another node may have set a backoff since this node scheduled the attempt.
    if (seen.nextAttemptAt > now) return seen.nextAttemptAt;
    if (!(await store.claim(taskId, targetId, holder, now, claimLeaseMs))) {
      return seen.claimedBy !== holder && seen.claimedUntil !== null && seen.claimedUntil > now ? seen.claimedUntil : now + claimLeaseMs;
    }
    const lost = new AbortController();
    // One renewal at a time, awaited before the release: a renewal landing after it would claim
    // the publication again and keep other nodes out until the lease ran out.
    let renewing: Promise<void> | null = null;
    const renew = setInterval(() => {
      renewing ??= store
        .claim(taskId, targetId, holder, clock.now(), claimLeaseMs)
        .then(
          (ok) => {
            if (!ok && !lost.signal.aborted) lost.abort();
          },
          // A database hiccup: keep going; the next renewal (or the final write) tells.
          (err) => this.d.log.warn({ taskId, target: targetId, err: this.scrub(err) }, 'publish: could not renew the claim'),
        )
        .finally(() => (renewing = null));
    }, Math.max(1, Math.floor(claimLeaseMs / 3)));
    renew.unref();
    try {
      // Read again under the claim: the previous holder may have finished it meanwhile.
      const pub = await this.read(taskId, targetId);
      if (!pub) return null;
      if (pub.nextAttemptAt > clock.now()) return pub.nextAttemptAt;
      return await this.upload(pub, AbortSignal.any([signal, lost.signal]), signal, lost.signal);
    } finally {
      clearInterval(renew);
      await renewing;
      // After losing the claim the row is another node's: release only acts on our own claim.
      await store.release(taskId, targetId, holder);
    }
  }

  /** One upload attempt under the claim. */
  private async upload(pub: Publication, signal: AbortSignal, shutdown: AbortSignal, lostClaim: AbortSignal): Promise<number | null> {
    const { store, clock, log, policy } = this.d;
    const { taskId, target: targetId } = pub;
    const target = this.targets.get(targetId);
    const attempts = pub.attempts + 1;
    /** A failed attempt: back to pending with a backoff, or failed for good. */
    const end = async (started: number, error: string, retryable: boolean): Promise<number | null> => {
      const now = clock.now();
      const again = retryable && attempts < policy.maxAttempts;
      const nextAttemptAt = again ? now + backoffDelayMs(attempts, policy.retryBaseDelayMs, policy.retryMaxDelayMs, this.d.random) : 0;
      await store.update(taskId, targetId, { state: again ? 'pending' : 'failed', error, nextAttemptAt }, now);
      this.emitOutcome(pub, again ? 'retry' : 'failed', started, attempts);
      log.warn({ taskId, target: targetId, attempts, error, retryInMs: again ? nextAttemptAt - now : null }, again ? 'publish: attempt failed, will retry' : 'publish: gave up');
      return again ? nextAttemptAt : null;
    };
    const started = clock.now();
    await store.update(taskId, targetId, { state: 'uploading', attempts }, started);
    if (!target?.uploader || !target.enabled) return end(started, 'Target no longer configured or disabled', false);
    const task = await this.d.tasks.get(taskId);
    if (!task || task.state !== 'completed' || !task.outputPath) return end(started, 'The task has no finished video any more', false);
    const size = await stat(task.outputPath).then((s) => s.size, () => null);
    if (!size) return end(started, 'The finished video file is missing', false);
    try {
      const result = await target.uploader.upload({
        taskId,
        filePath: task.outputPath,
        size,
        text: task.text,
        finishedAt: task.finishedAt ?? started,
        resume: pub.resume,
        saveResume: async (resume) => void (await store.update(taskId, targetId, { resume }, clock.now())),
        signal,
      });
      const now = clock.now();
      await store.update(taskId, targetId, { state: 'done', url: result.url, remoteId: result.remoteId, error: null, resume: null, doneAt: now }, now);
      this.emitOutcome(pub, 'done', started, attempts);
      log.info({ taskId, target: targetId, attempts, remoteId: result.remoteId }, 'publish: uploaded');
      return null;
    } catch (err) {
      if (lostClaim.aborted && !shutdown.aborted) {
        // Another node took the publication over (this one stalled past the lease): its record now.
        log.warn({ taskId, target: targetId }, 'publish: claim lost to another node; attempt abandoned');
        return null;
      }
      if (signal.aborted) {
        // Our own shutdown cut the attempt: it does not count, and the next start resumes it.
        await store.update(taskId, targetId, { state: 'pending', attempts: pub.attempts }, clock.now());
        return null;
      }
      const retryable = err instanceof PublishError ? err.retryable : (err as NodeJS.ErrnoException).code !== 'ENOENT';
      return end(started, this.scrub(err).slice(0, 500), retryable);
    }
  }

  private emitOutcome(pub: Publication, outcome: PublishOutcomeKind, started: number, attempts: number): void {
    this.emit('outcome', { taskId: pub.taskId, target: pub.target, type: pub.type, outcome, seconds: Math.max(0, (this.d.clock.now() - started) / 1000), attempts });
  }
}
