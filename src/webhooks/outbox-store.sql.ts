/**
 * What the SQLite and PostgreSQL webhook stores share: every statement (written with `?`
 * placeholders; the PostgreSQL adapter numbers them) and the row → record mapping.
 */
import type { DeliveryAttempt, DeliveryFilter, EndpointPatch, SweepQuery, WebhookDelivery, WebhookEndpoint, WebhookEventType } from './outbox-store.js';

export type Row = Record<string, unknown>;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export const SQL = {
  insertEndpoint: `INSERT INTO webhook_endpoints (id, owner, url, events, description, secret, previous_secret, previous_secret_until, enabled, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  getEndpoint: 'SELECT * FROM webhook_endpoints WHERE id = ?',
  allEndpoints: 'SELECT * FROM webhook_endpoints ORDER BY created_at, id',
  ownerEndpoints: 'SELECT * FROM webhook_endpoints WHERE owner = ? ORDER BY created_at, id',
  ownerlessEndpoints: 'SELECT * FROM webhook_endpoints WHERE owner IS NULL ORDER BY created_at, id',
  deleteEndpoint: 'DELETE FROM webhook_endpoints WHERE id = ?',
  saveCallback: 'INSERT INTO webhook_callbacks (task_id, url, created_at) VALUES (?, ?, ?) ON CONFLICT (task_id) DO NOTHING',
  getCallback: 'SELECT url FROM webhook_callbacks WHERE task_id = ?',
  enqueue: `INSERT INTO webhook_deliveries (id, event_id, event_type, task_id, owner, endpoint_id, url, body, state, attempts, next_attempt_at, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  getDelivery: 'SELECT * FROM webhook_deliveries WHERE id = ?',
  attempts: 'SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt',
  due: `SELECT * FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ? AND (claimed_by IS NULL OR claimed_until <= ?)
    ORDER BY next_attempt_at, created_at LIMIT ?`,
  claim: `UPDATE webhook_deliveries SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1, updated_at = ?
    WHERE id = ? AND state = 'pending' AND next_attempt_at <= ? AND (claimed_by IS NULL OR claimed_until <= ?) RETURNING *`,
  logAttempt: `INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status, error, node) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (delivery_id, attempt) DO NOTHING`,
  finish: `UPDATE webhook_deliveries SET state = ?, next_attempt_at = ?, last_status = ?, last_error = ?, delivered_at = ?, claimed_by = NULL, claimed_until = NULL, updated_at = ?
    WHERE id = ? AND claimed_by = ?`,
  releaseHolder: 'UPDATE webhook_deliveries SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ?',
  redeliver: `UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = ?, updated_at = ?
    WHERE id = ? AND (claimed_by IS NULL OR claimed_until <= ?)`,
} as const;

/** Column = value pairs of an endpoint patch, in key order. */
export function endpointPatchEntries(p: EndpointPatch): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  if (p.url !== undefined) out.push(['url', p.url]);
  if (p.events !== undefined) out.push(['events', p.events.join(',')]);
  if (p.description !== undefined) out.push(['description', p.description]);
  if (p.secret !== undefined) out.push(['secret', p.secret]);
  if (p.previousSecret !== undefined) out.push(['previous_secret', p.previousSecret]);
  if (p.previousSecretUntil !== undefined) out.push(['previous_secret_until', p.previousSecretUntil]);
  if (p.enabled !== undefined) out.push(['enabled', p.enabled ? 1 : 0]);
  return out;
}

/** A delivery list query: its WHERE clause (with `?`) and values. */
export function deliveryQuery(f: DeliveryFilter): { sql: string; values: unknown[] } {
  const where: string[] = [];
  const values: unknown[] = [];
  if (f.endpointId !== undefined) (where.push('endpoint_id = ?'), values.push(f.endpointId));
  if (f.taskId !== undefined) (where.push('task_id = ?'), values.push(f.taskId));
  if (f.owner === null) where.push('owner IS NULL');
  else if (f.owner !== undefined) (where.push('owner = ?'), values.push(f.owner));
  values.push(f.limit);
  return { sql: `SELECT * FROM webhook_deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id LIMIT ?`, values };
}

/**
 * One page of the start-up sweep (keyset on the task id, never OFFSET: an OFFSET page reads and
 * drops every row before it). `callbacks` is driven by the callbacks table (its primary key), so
 * its cost follows the tasks that asked for a callback, not the history; `owners` walks the
 * tasks by id. A task already answered by a delivery recorded after it ended is left out (the
 * ids make recording idempotent anyway; this only spares the work).
 */
export function sweepQuery(q: SweepQuery): { sql: string; values: unknown[] } {
  // `t.state || ''` keeps SQLite off the state index: with it, the planner read every finished
  // task and sorted them for each page (28 s for 10,000 tasks over a million-row history); in id
  // order a page reads only its own rows (and the first one skips what lies before the window).
  const ended = `t.state || '' IN ('completed', 'failed', 'canceled') AND t.parent_id IS NULL AND t.created_at >= ?
    AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.task_id = t.id AND d.created_at >= COALESCE(t.finished_at, t.updated_at))`;
  if (q.source === 'callbacks') {
    // CROSS JOIN: SQLite keeps the callbacks table as the outer loop (its own choice was to walk
    // the finished tasks and look each one up among the callbacks).
    return {
      sql: `SELECT t.id FROM webhook_callbacks c CROSS JOIN tasks t WHERE t.id = c.task_id AND c.task_id > ? AND ${ended} ORDER BY c.task_id LIMIT ?`,
      values: [q.afterId, q.from, q.limit],
    };
  }
  const named = q.owners.filter((o): o is string => o !== null);
  const who = [...(named.length ? [`t.owner IN (${named.map(() => '?').join(', ')})`] : []), ...(q.owners.includes(null) ? ['t.owner IS NULL'] : [])];
  if (!who.length) return { sql: 'SELECT id FROM tasks WHERE 1 = 0', values: [] };
  return {
    sql: `SELECT t.id FROM tasks t WHERE t.id > ? AND (${who.join(' OR ')}) AND ${ended} ORDER BY t.id LIMIT ?`,
    values: [q.afterId, ...named, q.from, q.limit],
  };
}

export function endpointValues(e: WebhookEndpoint): unknown[] {
  return [e.id, e.owner, e.url, e.events.join(','), e.description, e.secret, e.previousSecret, e.previousSecretUntil, e.enabled ? 1 : 0, e.createdAt, e.updatedAt];
}

export function toEndpoint(r: Row): WebhookEndpoint {
  return {
    id: String(r.id),
    owner: str(r.owner),
    url: String(r.url),
    events: String(r.events).split(',').filter(Boolean) as WebhookEventType[],
    description: str(r.description),
    secret: String(r.secret),
    previousSecret: str(r.previous_secret),
    previousSecretUntil: num(r.previous_secret_until),
    enabled: Number(r.enabled) === 1,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function toDelivery(r: Row): WebhookDelivery {
  return {
    id: String(r.id),
    eventId: String(r.event_id),
    eventType: String(r.event_type),
    taskId: str(r.task_id),
    owner: str(r.owner),
    endpointId: str(r.endpoint_id),
    url: String(r.url),
    body: String(r.body),
    state: r.state as WebhookDelivery['state'],
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    deliveredAt: num(r.delivered_at),
    lastStatus: num(r.last_status),
    lastError: str(r.last_error),
    claimedBy: str(r.claimed_by),
    claimedUntil: num(r.claimed_until),
  };
}

export function toAttempt(r: Row): DeliveryAttempt {
  return {
    deliveryId: String(r.delivery_id),
    attempt: Number(r.attempt),
    startedAt: Number(r.started_at),
    durationMs: Number(r.duration_ms),
    status: num(r.status),
    error: str(r.error),
    node: str(r.node),
  };
}
