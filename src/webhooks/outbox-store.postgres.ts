/**
 * WebhookStore on PostgreSQL, for several gateway nodes on one database. The same statements
 * as the SQLite adapter (outbox-store.sql.ts) with numbered placeholders. It borrows the task
 * store's pool when given one, or opens its own from a URL; the tables come with the task
 * store's migrations and are also created here (idempotent DDL under an advisory lock, so
 * nodes opening together do not race on it).
 */
import type pg from 'pg';
import { WEBHOOK_SCHEMA_SQL } from '../store/migrations/webhooks.js';
import { inTransaction } from '../store/postgres.pool.js';
import { openPostgresSide, type PostgresSideOptions } from '../store/side-store.js';
import type { AttemptOutcome, DeliveryAttempt, DeliveryFilter, EndpointPatch, NewDelivery, SweepQuery, WebhookDelivery, WebhookEndpoint, WebhookStore } from './outbox-store.js';
import { deliveryQuery, endpointPatchEntries, endpointValues, SQL, sweepQuery, toAttempt, toDelivery, toEndpoint, type Row } from './outbox-store.sql.js';

/** Fixed, and different from the task store's and the publication store's locks. */
export const WEBHOOK_MIGRATION_LOCK_KEY = 0x68_67_77_57; // "hgwW"

/** `?` → `$1, $2, …` (no statement here has a literal question mark). */
const numbered = (sql: string): string => {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
};

export type PostgresWebhookStoreOptions = PostgresSideOptions;

export class PostgresWebhookStore implements WebhookStore {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly ownsPool: boolean,
  ) {}

  static async open(o: PostgresWebhookStoreOptions): Promise<PostgresWebhookStore> {
    const { pool, owns } = await openPostgresSide(o, WEBHOOK_MIGRATION_LOCK_KEY, WEBHOOK_SCHEMA_SQL);
    return new PostgresWebhookStore(pool, owns);
  }

  private tx<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }

  private async all(sql: string, ...v: unknown[]): Promise<Row[]> {
    return (await this.pool.query(numbered(sql), v)).rows as Row[];
  }

  private async count(sql: string, ...v: unknown[]): Promise<number> {
    return (await this.pool.query(numbered(sql), v)).rowCount ?? 0;
  }

  async createEndpoint(e: WebhookEndpoint): Promise<void> {
    await this.count(SQL.insertEndpoint, ...endpointValues(e));
  }

  async getEndpoint(id: string): Promise<WebhookEndpoint | undefined> {
    const [r] = await this.all(SQL.getEndpoint, id);
    return r && toEndpoint(r);
  }

  async listEndpoints(owner?: string | null): Promise<WebhookEndpoint[]> {
    const rows = owner === undefined ? await this.all(SQL.allEndpoints) : owner === null ? await this.all(SQL.ownerlessEndpoints) : await this.all(SQL.ownerEndpoints, owner);
    return rows.map(toEndpoint);
  }

  async updateEndpoint(id: string, patch: EndpointPatch, now: number): Promise<WebhookEndpoint | undefined> {
    const entries = endpointPatchEntries(patch);
    const sets = [...entries.map(([c]) => `${c} = ?`), 'updated_at = ?'];
    const [r] = await this.all(`UPDATE webhook_endpoints SET ${sets.join(', ')} WHERE id = ? RETURNING *`, ...entries.map(([, v]) => v), now, id);
    return r && toEndpoint(r);
  }

  async deleteEndpoint(id: string): Promise<boolean> {
    return (await this.count(SQL.deleteEndpoint, id)) > 0;
  }

  async saveCallback(taskId: string, url: string, now: number): Promise<void> {
    await this.count(SQL.saveCallback, taskId, url, now);
  }

  async getCallback(taskId: string): Promise<string | undefined> {
    const [r] = await this.all(SQL.getCallback, taskId);
    return r?.url as string | undefined;
  }

  async enqueue(rows: readonly NewDelivery[], now: number): Promise<number> {
    if (!rows.length) return 0;
    // One fixed order: two nodes recording the same event insert in the same order (no deadlock).
    const sorted = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return this.tx(async (c) => {
      let n = 0;
      for (const d of sorted) n += (await c.query(numbered(SQL.enqueue), [d.id, d.eventId, d.eventType, d.taskId, d.owner, d.endpointId, d.url, d.body, now, now, now])).rowCount ?? 0;
      return n;
    });
  }

  async getDelivery(id: string): Promise<WebhookDelivery | undefined> {
    const [r] = await this.all(SQL.getDelivery, id);
    return r && toDelivery(r);
  }

  async listDeliveries(f: DeliveryFilter): Promise<WebhookDelivery[]> {
    const q = deliveryQuery(f);
    return (await this.all(q.sql, ...q.values)).map(toDelivery);
  }

  async attempts(deliveryId: string): Promise<DeliveryAttempt[]> {
    return (await this.all(SQL.attempts, deliveryId)).map(toAttempt);
  }

  async due(now: number, limit: number): Promise<WebhookDelivery[]> {
    return (await this.all(SQL.due, now, now, limit)).map(toDelivery);
  }

  async claim(id: string, holder: string, now: number, leaseMs: number): Promise<WebhookDelivery | undefined> {
    const [r] = await this.all(SQL.claim, holder, now + leaseMs, now, id, now, now);
    return r && toDelivery(r);
  }

  async finish(id: string, holder: string, a: DeliveryAttempt, o: AttemptOutcome, now: number): Promise<boolean> {
    return this.tx(async (c) => {
      const res = await c.query(numbered(SQL.finish), [o.state, o.nextAttemptAt, o.lastStatus, o.lastError, o.state === 'delivered' ? now : null, now, id, holder]);
      if (res.rowCount !== 1) return false;
      await c.query(numbered(SQL.logAttempt), [a.deliveryId, a.attempt, a.startedAt, a.durationMs, a.status, a.error, a.node]);
      return true;
    });
  }

  async endedWithoutDelivery(q: SweepQuery): Promise<string[]> {
    const { sql, values } = sweepQuery(q);
    return (await this.all(sql, ...values)).map((r) => String(r.id));
  }

  async releaseHolder(holder: string): Promise<void> {
    await this.count(SQL.releaseHolder, holder);
  }

  async redeliver(id: string, now: number): Promise<boolean> {
    return (await this.count(SQL.redeliver, now, now, id, now)) === 1;
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}
