/**
 * Webhooks: when a task ends (completed, failed, canceled) one delivery per receiver — the
 * task's own `callback_url` and every endpoint its API key registered for that event — is
 * written to the outbox, then sent in the background: signed, bounded in time, retried with
 * exponential backoff and jitter until `maxAgeMs` after the event, every attempt logged.
 * Nothing here can fail a task or a request: faults end in the delivery record.
 *
 * Durable: the outbox is in the task store's database. Event and delivery ids are derived
 * from the task's id, state and finish time, so recording an event twice (two nodes hearing
 * the same change, or the sweep at start) adds nothing; the sweep at start records events for
 * tasks that ended while the process died before their deliveries were written.
 *
 * Several nodes: a poll loop finds due deliveries and claims each before sending (the claim
 * counts the attempt), so one attempt is sent by one node; a node that dies mid-attempt leaves
 * a claim that lapses after the request timeout, and any node tries again.
 *
 * A slow receiver blocks nothing: attempts run outside every request and task path, at most
 * `perEndpointConcurrency` per receiver and `concurrency` in all.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Task, TaskState } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../tasks/clock.js';
import type { TaskChange } from '../tasks/lifecycle.js';
import { backoffDelayMs } from '../publish/backoff.js';
import type { NewDelivery, WebhookDelivery, WebhookEndpoint, WebhookEventType, WebhookStore } from './outbox-store.js';
import { postWebhook } from './post.js';
import { signatureHeader, SIGNATURE_HEADER } from './signer.js';
import { TargetRefused, type TargetPolicy } from './ssrf.js';

export interface WebhookPolicy {
  /** Deployment secret: signs per-task callbacks. Without it, callback_url is refused. */
  secret: string | null;
  /** The deployment secret before a rotation, also signed with while set. */
  previousSecret: string | null;
  timeoutMs: number;
  concurrency: number;
  perEndpointConcurrency: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** Stop retrying this long after the event. */
  maxAgeMs: number;
  pollIntervalMs: number;
}

export interface WebhookDeps {
  store: WebhookStore;
  tasks: { get(id: string): Promise<Task | undefined> };
  policy: WebhookPolicy;
  targets: TargetPolicy;
  clock: Clock;
  log: Logger;
  /** This node's name: the claim holder. */
  holder: string;
  /** The task as GET /api/status shows it (the body of task events). */
  present: (task: Task, now: number) => Record<string, unknown>;
  random?: () => number;
}

const TASK_EVENTS: Partial<Record<TaskState, WebhookEventType>> = { completed: 'task.completed', failed: 'task.failed', canceled: 'task.canceled' };

const hashId = (prefix: string, ...parts: Array<string | number | null>): string =>
  `${prefix}_${createHash('sha256').update(parts.map(String).join('\u0000')).digest('hex').slice(0, 24)}`;

/**
 * Only tasks a caller submitted fire webhooks: a long script's segment rows (child tasks with a
 * parent) report through their parent.
 */
export function isWebhookSubject(task: Task): boolean {
  return !task.parentId;
}

/** Most tasks the start-up sweep records events for per source, and its page size. */
const SWEEP_LIMIT = 10_000;
const SWEEP_PAGE = 500;

export class Webhooks {
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Map<string, { key: string; abort: AbortController; done: Promise<void> }>();
  private readonly perKey = new Map<string, number>();
  private polling = false;
  private pollAgain = false;
  private closed = false;

  constructor(private readonly d: WebhookDeps) {}

  get store(): WebhookStore {
    return this.d.store;
  }

  get targets(): TargetPolicy {
    return this.d.targets;
  }

  get callbacksEnabled(): boolean {
    return this.d.policy.secret !== null;
  }

  /** Check a per-task callback URL at submit time; throws TargetRefused (→ 400). */
  async checkCallback(url: unknown): Promise<string> {
    if (!this.callbacksEnabled) throw new TargetRefused('callback_url needs the deployment secret webhooks.secret (or HEYGEM_WEBHOOKS_SECRET) to be set', 'webhook_url_invalid');
    return (await this.d.targets.check(url)).url.href;
  }

  async saveCallback(taskId: string, url: string): Promise<void> {
    await this.d.store.saveCallback(taskId, url, this.d.clock.now());
  }

  /** Listen to task changes: a task that just ended gets its events recorded and sent. */
  onTaskChange = ({ task, from }: TaskChange): void => {
    if (this.closed || from === task.state || !TASK_EVENTS[task.state]) return;
    this.taskEvent(task).catch((err: unknown) => this.d.log.error({ err, taskId: task.id }, 'webhooks: could not record the event; the sweep at the next start will'));
  };

  /** Record the event of a task that ended (idempotent) and send it. Returns the new deliveries. */
  async taskEvent(task: Task, endpoints?: WebhookEndpoint[]): Promise<number> {
    const type = TASK_EVENTS[task.state];
    if (!type || !isWebhookSubject(task)) return 0;
    const finishedAt = task.finishedAt ?? task.updatedAt;
    const eventId = hashId('evt', task.id, type, finishedAt);
    const callback = await this.d.store.getCallback(task.id);
    const subscribed = (endpoints ?? (await this.d.store.listEndpoints(task.owner))).filter(
      (e) => e.owner === task.owner && e.enabled && e.events.includes(type) && e.createdAt <= finishedAt,
    );
    if (!callback && !subscribed.length) return 0;
    const body = JSON.stringify({ event_id: eventId, event_type: type, event_time: new Date(finishedAt).toISOString(), ...this.d.present(task, this.d.clock.now()) });
    const rows: NewDelivery[] = subscribed.map((e) => ({ id: hashId('dlv', eventId, e.id), eventId, eventType: type, taskId: task.id, owner: task.owner, endpointId: e.id, url: e.url, body }));
    if (callback) rows.push({ id: hashId('dlv', eventId, 'callback'), eventId, eventType: type, taskId: task.id, owner: task.owner, endpointId: null, url: callback, body });
    const added = await this.d.store.enqueue(rows, this.d.clock.now());
    if (added) this.kick();
    return added;
  }

  /**
   * Record and send an event that is not a task's (e.g. `batch.completed`) to the owner's
   * endpoints subscribed to it, and to `callbackUrl` when given (signed with the deployment
   * secret). `key` makes it idempotent (same key → same event, recorded once); the payload is
   * sent as the body next to `event_id`, `event_type` and `event_time`. Returns the event id.
   */
  async emit(type: WebhookEventType, owner: string | null, payload: Record<string, unknown>, opts: { key?: string; callbackUrl?: string | null; taskId?: string | null } = {}): Promise<string> {
    const now = this.d.clock.now();
    const eventId = hashId('evt', type, owner, opts.key ?? randomUUID());
    const endpoints = (await this.d.store.listEndpoints(owner)).filter((e) => e.enabled && e.events.includes(type));
    const body = JSON.stringify({ event_id: eventId, event_type: type, event_time: new Date(now).toISOString(), ...payload });
    const base = { eventId, eventType: type, taskId: opts.taskId ?? null, owner, body };
    const rows: NewDelivery[] = endpoints.map((e) => ({ ...base, id: hashId('dlv', eventId, e.id), endpointId: e.id, url: e.url }));
    if (opts.callbackUrl && this.callbacksEnabled) rows.push({ ...base, id: hashId('dlv', eventId, 'callback'), endpointId: null, url: opts.callbackUrl });
    if (await this.d.store.enqueue(rows, now)) this.kick();
    return eventId;
  }

  /** Send a delivery again (by hand). false when unknown or an attempt is in flight. */
  async redeliver(id: string): Promise<boolean> {
    const ok = await this.d.store.redeliver(id, this.d.clock.now());
    if (ok) this.kick();
    return ok;
  }

  /** Resume after a restart: our old claims are void; events of tasks that ended meanwhile are recorded. */
  async start(): Promise<void> {
    await this.d.store.releaseHolder(this.d.holder);
    await this.sweep();
    this.timer = setInterval(() => this.kick(), this.d.policy.pollIntervalMs);
    this.timer.unref();
    this.kick();
  }

  /**
   * Only tasks that can have a receiver are looked at — those with a callback URL, and those of
   * owners with an enabled endpoint — and only those without a delivery since they ended, a page
   * at a time by id (keyset). With no receivers at all nothing of the history is read: a
   * million finished tasks cost a start-up nothing (an OFFSET sweep of the task list cost most
   * of a 26 s start on such a database).
   */
  private async sweep(): Promise<void> {
    const endpoints = await this.d.store.listEndpoints();
    const owners = [...new Set(endpoints.filter((e) => e.enabled).map((e) => e.owner))];
    const from = this.d.clock.now() - this.d.policy.maxAgeMs;
    let added = 0;
    for (const source of ['callbacks', 'owners'] as const) {
      if (source === 'owners' && !owners.length) continue;
      let afterId = '';
      for (let seen = 0; seen < SWEEP_LIMIT; ) {
        const ids = await this.d.store.endedWithoutDelivery({ source, owners, from, afterId, limit: SWEEP_PAGE });
        for (const id of ids) {
          const t = await this.d.tasks.get(id);
          if (t) added += await this.taskEvent(t, endpoints.filter((e) => e.owner === t.owner));
        }
        if (ids.length < SWEEP_PAGE) break;
        afterId = ids[ids.length - 1];
        seen += ids.length;
      }
    }
    if (added) this.d.log.info({ count: added }, 'webhooks: recorded deliveries of tasks that ended during a restart');
  }

  /** Look for due deliveries now (coalesced: one poll at a time, one more if asked meanwhile). */
  kick(): void {
    if (this.closed) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = true;
    void this.poll()
      .catch((err: unknown) => this.d.log.warn({ err }, 'webhooks: poll failed; will look again'))
      .finally(() => {
        this.polling = false;
        if (this.pollAgain) {
          this.pollAgain = false;
          this.kick();
        }
      });
  }

  private keyOf(dl: WebhookDelivery): string {
    if (dl.endpointId) return dl.endpointId;
    try {
      return `host:${new URL(dl.url).host}`;
    } catch {
      return `url:${dl.url}`;
    }
  }

  private async poll(): Promise<void> {
    const { policy, store, clock, holder } = this.d;
    const free = policy.concurrency - this.inFlight.size;
    if (free <= 0) return;
    const due = await store.due(clock.now(), free * 4);
    let started = 0;
    for (const dl of due) {
      if (this.closed || started >= free) break;
      const key = this.keyOf(dl);
      if (this.inFlight.has(dl.id) || (this.perKey.get(key) ?? 0) >= policy.perEndpointConcurrency) continue;
      // The claim outlives the request's own bound, so it never lapses while we are still sending.
      const claimed = await store.claim(dl.id, holder, clock.now(), policy.timeoutMs * 2 + 5000);
      if (!claimed) continue;
      started++;
      this.perKey.set(key, (this.perKey.get(key) ?? 0) + 1);
      const abort = new AbortController();
      const done = this.attempt(claimed, abort.signal)
        .catch((err: unknown) => this.d.log.error({ err, deliveryId: dl.id }, 'webhooks: attempt bookkeeping failed; the claim lapses and it is tried again'))
        .finally(() => {
          this.inFlight.delete(dl.id);
          const n = (this.perKey.get(key) ?? 1) - 1;
          if (n <= 0) this.perKey.delete(key);
          else this.perKey.set(key, n);
          this.kick();
        });
      this.inFlight.set(dl.id, { key, abort, done });
    }
  }

  private async secretsFor(dl: WebhookDelivery, now: number): Promise<string[] | string> {
    if (!dl.endpointId) {
      const { secret, previousSecret } = this.d.policy;
      if (!secret) return 'No deployment secret (webhooks.secret) to sign the callback with';
      return previousSecret ? [secret, previousSecret] : [secret];
    }
    const e = await this.d.store.getEndpoint(dl.endpointId);
    if (!e) return 'The endpoint was deleted';
    if (!e.enabled) return 'The endpoint is disabled';
    return e.previousSecret && e.previousSecretUntil !== null && e.previousSecretUntil > now ? [e.secret, e.previousSecret] : [e.secret];
  }

  private async attempt(dl: WebhookDelivery, signal: AbortSignal): Promise<void> {
    const { clock, policy, store, holder, log } = this.d;
    const started = clock.now();
    const secrets = await this.secretsFor(dl, started);
    let status: number | null = null;
    let error: string | null;
    let retryable = true;
    if (typeof secrets === 'string') {
      error = secrets;
      retryable = false;
    } else {
      const ts = Math.floor(started / 1000);
      const headers = { [SIGNATURE_HEADER]: signatureHeader(secrets, ts, dl.body), 'x-heygem-event-id': dl.eventId, 'x-heygem-event': dl.eventType, 'x-heygem-delivery': dl.id };
      try {
        const r = await postWebhook(this.d.targets, dl.url, headers, dl.body, policy.timeoutMs, signal);
        status = r.status;
        error = r.error;
      } catch (err) {
        // Refused by the target policy at send time (DNS now points inside): not retried.
        error = err instanceof TargetRefused ? err.message : String((err as Error)?.message ?? err);
        retryable = !(err instanceof TargetRefused);
      }
    }
    if (signal.aborted) return; // our shutdown: the claim is released at the next start, the attempt is sent again
    const now = clock.now();
    const delivered = error === null;
    const expired = now - dl.createdAt >= policy.maxAgeMs;
    const next = now + backoffDelayMs(dl.attempts, policy.retryBaseDelayMs, policy.retryMaxDelayMs, this.d.random);
    const again = !delivered && retryable && !expired;
    const outcome = { state: delivered ? 'delivered' : again ? 'pending' : 'failed', nextAttemptAt: again ? next : 0, lastStatus: status, lastError: error } as const;
    await store.finish(dl.id, holder, { deliveryId: dl.id, attempt: dl.attempts, startedAt: started, durationMs: now - started, status, error, node: holder }, outcome, now);
    if (!delivered) log.warn({ deliveryId: dl.id, url: dl.url, attempt: dl.attempts, error, retryInMs: again ? next - now : null }, again ? 'webhooks: attempt failed, will retry' : 'webhooks: gave up');
  }

  /** Stop: no new attempts; running ones are cut and sent again after the next start. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    const running = [...this.inFlight.values()];
    for (const r of running) r.abort.abort();
    await Promise.allSettled(running.map((r) => r.done));
    await this.d.store.close();
  }
}
