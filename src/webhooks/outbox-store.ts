/**
 * Durable webhook records behind a small port, on SQLite (one node) and PostgreSQL (several
 * nodes on one database): registered endpoints, per-task callback URLs, the delivery outbox
 * and its attempt log. Plain SQL only (the same statements on both, see outbox-store.sql.ts).
 *
 * A delivery is one event for one receiver. Its body is frozen when the event is recorded, so
 * every attempt (and a redelivery by hand) sends the same bytes; only the signature's timestamp
 * changes. Before an attempt a node *claims* the delivery (holder + expiry) and counts the
 * attempt in the same statement, so two nodes never send the same attempt; the claim outlives
 * the request timeout, and a node that dies mid-attempt leaves a claim that simply lapses.
 */

export const WEBHOOK_EVENT_TYPES = ['task.completed', 'task.failed', 'task.canceled', 'batch.completed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEndpoint {
  id: string;
  /** The API key that registered it (null with auth off). */
  owner: string | null;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  secret: string;
  /** The secret before the last rotation, still signed with until `previousSecretUntil`. */
  previousSecret: string | null;
  previousSecretUntil: number | null;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export type EndpointPatch = Partial<Pick<WebhookEndpoint, 'url' | 'events' | 'description' | 'secret' | 'previousSecret' | 'previousSecretUntil' | 'enabled'>>;

export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  taskId: string | null;
  owner: string | null;
  /** null for a per-task callback (signed with the deployment secret). */
  endpointId: string | null;
  url: string;
  body: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  updatedAt: number;
  deliveredAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  claimedBy: string | null;
  claimedUntil: number | null;
}

export type NewDelivery = Pick<WebhookDelivery, 'id' | 'eventId' | 'eventType' | 'taskId' | 'owner' | 'endpointId' | 'url' | 'body'>;

export interface DeliveryAttempt {
  deliveryId: string;
  attempt: number;
  startedAt: number;
  durationMs: number;
  /** HTTP status of the answer; null when there was none (refused, timeout, connection error). */
  status: number | null;
  error: string | null;
  node: string | null;
}

/** How an attempt ended: the delivery's next state. */
export interface AttemptOutcome {
  state: DeliveryState;
  nextAttemptAt: number;
  lastStatus: number | null;
  lastError: string | null;
}

export interface DeliveryFilter {
  endpointId?: string;
  taskId?: string;
  /** Only deliveries of this owner (undefined = all). */
  owner?: string | null;
  limit: number;
}

/** One page of the start-up sweep (WebhookStore.endedWithoutDelivery). */
export interface SweepQuery {
  /** `callbacks`: tasks with a callback URL; `owners`: tasks of the given owners. */
  source: 'callbacks' | 'owners';
  /** Owners with enabled endpoints (null: tasks without an owner); used by `owners`. */
  owners: ReadonlyArray<string | null>;
  /** Only tasks created at or after this time. */
  from: number;
  /** Keyset: ids greater than this ('' for the first page). */
  afterId: string;
  limit: number;
}

export interface WebhookStore {
  createEndpoint(e: WebhookEndpoint): Promise<void>;
  getEndpoint(id: string): Promise<WebhookEndpoint | undefined>;
  /** Endpoints of one owner (undefined = every owner's), oldest first. */
  listEndpoints(owner?: string | null): Promise<WebhookEndpoint[]>;
  updateEndpoint(id: string, patch: EndpointPatch, now: number): Promise<WebhookEndpoint | undefined>;
  deleteEndpoint(id: string): Promise<boolean>;

  saveCallback(taskId: string, url: string, now: number): Promise<void>;
  getCallback(taskId: string): Promise<string | undefined>;

  /** Record deliveries; ids already stored are kept as they are. Returns how many were new. */
  enqueue(rows: readonly NewDelivery[], now: number): Promise<number>;
  getDelivery(id: string): Promise<WebhookDelivery | undefined>;
  /** Newest first. */
  listDeliveries(f: DeliveryFilter): Promise<WebhookDelivery[]>;
  attempts(deliveryId: string): Promise<DeliveryAttempt[]>;
  /** Pending deliveries whose time has come and that nobody holds, soonest first. */
  due(now: number, limit: number): Promise<WebhookDelivery[]>;
  /**
   * Take a due delivery for one attempt until `now + leaseMs`, counting the attempt. Returns the
   * claimed row, or undefined when it is not due, not pending, or held by a live claim. Atomic:
   * of two racing holders one wins.
   */
  claim(id: string, holder: string, now: number, leaseMs: number): Promise<WebhookDelivery | undefined>;
  /**
   * Log the attempt and move the delivery on, releasing the claim — one transaction, and only
   * while `holder` still holds it (false otherwise: the claim lapsed and may be someone else's).
   */
  finish(id: string, holder: string, attempt: DeliveryAttempt, outcome: AttemptOutcome, now: number): Promise<boolean>;
  /**
   * The start-up sweep: ids of top-level tasks that ended, have a receiver (see SweepQuery) and
   * have no delivery recorded since they ended — in id order after `afterId` (keyset paging:
   * each page costs the same however much history lies before it). Reads the task store's
   * `tasks` table: the outbox lives in the same database.
   */
  endedWithoutDelivery(q: SweepQuery): Promise<string[]>;
  /** Give up claims this node held when it stopped (at start: nothing of ours is in flight). */
  releaseHolder(holder: string): Promise<void>;
  /** Send again: pending, due now. false when unknown or an attempt is in flight. */
  redeliver(id: string, now: number): Promise<boolean>;
  close(): Promise<void>;
}
