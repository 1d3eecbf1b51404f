/** Webhook records → JSON for the API (secrets never, except once when created or rotated). */
import type { DeliveryAttempt, WebhookDelivery, WebhookEndpoint } from './outbox-store.js';

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

export function presentEndpoint(e: WebhookEndpoint, now: number): Record<string, unknown> {
  const overlap = e.previousSecret !== null && e.previousSecretUntil !== null && e.previousSecretUntil > now;
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    description: e.description,
    enabled: e.enabled,
    // Enough to tell secrets apart, too little to sign with.
    secret_hint: `${e.secret.slice(0, 10)}…`,
    previous_secret_valid_until: overlap ? iso(e.previousSecretUntil) : null,
    created_time: iso(e.createdAt),
    updated_time: iso(e.updatedAt),
  };
}

export function presentDelivery(d: WebhookDelivery, attempts: DeliveryAttempt[] | null, now: number): Record<string, unknown> {
  const delivering = d.claimedBy !== null && d.claimedUntil !== null && d.claimedUntil > now;
  return {
    id: d.id,
    event_id: d.eventId,
    event_type: d.eventType,
    task_id: d.taskId,
    endpoint_id: d.endpointId,
    url: d.url,
    state: delivering && d.state === 'pending' ? 'delivering' : d.state,
    attempts: d.attempts,
    next_attempt_time: d.state === 'pending' ? iso(d.nextAttemptAt) : null,
    created_time: iso(d.createdAt),
    delivered_time: iso(d.deliveredAt),
    last_status: d.lastStatus,
    last_error: d.lastError,
    attempt_log: (attempts ?? []).map((a) => ({ attempt: a.attempt, time: iso(a.startedAt), duration_ms: a.durationMs, status: a.status, error: a.error, node: a.node })),
  };
}
