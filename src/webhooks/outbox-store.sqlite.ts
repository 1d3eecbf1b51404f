/**
 * WebhookStore on SQLite: its own connection to the gateway's database file (WAL lets it share
 * the file with the task store's connection). The tables come with the task store's migrations;
 * they are applied here too (idempotent DDL) so the store also opens a file on its own.
 */
import type Database from 'better-sqlite3';
import { WEBHOOK_SCHEMA_SQL } from '../store/migrations/webhooks.js';
import { openSqliteSide } from '../store/side-store.js';
import type { AttemptOutcome, DeliveryAttempt, DeliveryFilter, EndpointPatch, NewDelivery, SweepQuery, WebhookDelivery, WebhookEndpoint, WebhookStore } from './outbox-store.js';
import { deliveryQuery, endpointPatchEntries, endpointValues, SQL, sweepQuery, toAttempt, toDelivery, toEndpoint, type Row } from './outbox-store.sql.js';

export class SqliteWebhookStore implements WebhookStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = openSqliteSide(path, WEBHOOK_SCHEMA_SQL);
  }

  private all(sql: string, ...v: unknown[]): Row[] {
    return this.db.prepare(sql).all(...v) as Row[];
  }

  private one(sql: string, ...v: unknown[]): Row | undefined {
    return this.db.prepare(sql).get(...v) as Row | undefined;
  }

  async createEndpoint(e: WebhookEndpoint): Promise<void> {
    this.db.prepare(SQL.insertEndpoint).run(...endpointValues(e));
  }

  async getEndpoint(id: string): Promise<WebhookEndpoint | undefined> {
    const r = this.one(SQL.getEndpoint, id);
    return r && toEndpoint(r);
  }

  async listEndpoints(owner?: string | null): Promise<WebhookEndpoint[]> {
    const rows = owner === undefined ? this.all(SQL.allEndpoints) : owner === null ? this.all(SQL.ownerlessEndpoints) : this.all(SQL.ownerEndpoints, owner);
    return rows.map(toEndpoint);
  }

  async updateEndpoint(id: string, patch: EndpointPatch, now: number): Promise<WebhookEndpoint | undefined> {
    const entries = endpointPatchEntries(patch);
    const sets = [...entries.map(([c]) => `${c} = ?`), 'updated_at = ?'];
    const r = this.one(`UPDATE webhook_endpoints SET ${sets.join(', ')} WHERE id = ? RETURNING *`, ...entries.map(([, v]) => v), now, id);
    return r && toEndpoint(r);
  }

  async deleteEndpoint(id: string): Promise<boolean> {
    return this.db.prepare(SQL.deleteEndpoint).run(id).changes > 0;
  }

  async saveCallback(taskId: string, url: string, now: number): Promise<void> {
    this.db.prepare(SQL.saveCallback).run(taskId, url, now);
  }

  async getCallback(taskId: string): Promise<string | undefined> {
    return this.one(SQL.getCallback, taskId)?.url as string | undefined;
  }

  async enqueue(rows: readonly NewDelivery[], now: number): Promise<number> {
    const insert = this.db.prepare(SQL.enqueue);
    return this.db.transaction(() => {
      let n = 0;
      for (const d of rows) n += insert.run(d.id, d.eventId, d.eventType, d.taskId, d.owner, d.endpointId, d.url, d.body, now, now, now).changes;
      return n;
    })();
  }

  async getDelivery(id: string): Promise<WebhookDelivery | undefined> {
    const r = this.one(SQL.getDelivery, id);
    return r && toDelivery(r);
  }

  async listDeliveries(f: DeliveryFilter): Promise<WebhookDelivery[]> {
    const q = deliveryQuery(f);
    return this.all(q.sql, ...q.values).map(toDelivery);
  }

  async attempts(deliveryId: string): Promise<DeliveryAttempt[]> {
    return this.all(SQL.attempts, deliveryId).map(toAttempt);
  }

  async due(now: number, limit: number): Promise<WebhookDelivery[]> {
    return this.all(SQL.due, now, now, limit).map(toDelivery);
  }

  async claim(id: string, holder: string, now: number, leaseMs: number): Promise<WebhookDelivery | undefined> {
    const r = this.one(SQL.claim, holder, now + leaseMs, now, id, now, now);
    return r && toDelivery(r);
  }

  async finish(id: string, holder: string, a: DeliveryAttempt, o: AttemptOutcome, now: number): Promise<boolean> {
    return this.db.transaction(() => {
      const done = this.db.prepare(SQL.finish).run(o.state, o.nextAttemptAt, o.lastStatus, o.lastError, o.state === 'delivered' ? now : null, now, id, holder).changes === 1;
      if (done) this.db.prepare(SQL.logAttempt).run(a.deliveryId, a.attempt, a.startedAt, a.durationMs, a.status, a.error, a.node);
      return done;
    })();
  }

  async endedWithoutDelivery(q: SweepQuery): Promise<string[]> {
    const { sql, values } = sweepQuery(q);
    return this.all(sql, ...values).map((r) => String(r.id));
  }

  async releaseHolder(holder: string): Promise<void> {
    this.db.prepare(SQL.releaseHolder).run(holder);
  }

  async redeliver(id: string, now: number): Promise<boolean> {
    return this.db.prepare(SQL.redeliver).run(now, now, id, now).changes === 1;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
