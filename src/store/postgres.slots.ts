/**
 * The registry of GPU slots across nodes, in the shared database (table `slots`): which node
 * drives each slot, its last heartbeat and what it reported. Part of PostgresTaskStore.
 */
import type pg from 'pg';
import type { Row } from './sqlite.adapter.js';
import type { SlotRecord } from './task-store.js';

function rowToSlot(r: Row): SlotRecord {
  return { slotId: r.slot_id as number, nodeId: r.node_id as string, heartbeatAt: r.heartbeat_at as number, info: (r.info as Record<string, unknown>) ?? {} };
}

export class PostgresSlotRegistry {
  constructor(private readonly pool: pg.Pool) {}

  private async all(sql: string, values: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query(sql, values)).rows as Row[];
  }

  /**
   * One transaction: upsert every slot unless another node refreshed it within staleMs (the
   * ON CONFLICT … WHERE leaves such rows alone, but locks them); if any was left alone, roll
   * back and report those rows, so a registration is all or nothing. Two nodes racing for a
   * new slot id serialize on the unique index: the second sees the first's committed row.
   */
  async register(nodeId: string, slotIds: readonly number[], now: number, staleMs: number): Promise<SlotRecord[]> {
    if (!slotIds.length) return [];
    const ids = [...new Set(slotIds)];
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const { rows } = await c.query(
        `INSERT INTO slots (slot_id, node_id, heartbeat_at, info)
         SELECT s, $2, $3, '{}'::jsonb FROM unnest($1::int[]) AS s
         ON CONFLICT (slot_id) DO UPDATE SET node_id = excluded.node_id, heartbeat_at = excluded.heartbeat_at, info = excluded.info
           WHERE slots.node_id = excluded.node_id OR slots.heartbeat_at <= $3 - $4::bigint
         RETURNING slot_id`,
        [ids, nodeId, now, staleMs],
      );
      if (rows.length === ids.length) {
        await c.query('COMMIT');
        return [];
      }
      const taken = rows.map((r) => r.slot_id as number);
      const conflicts = await c.query('SELECT * FROM slots WHERE slot_id = ANY($1::int[]) AND NOT (slot_id = ANY($2::int[])) ORDER BY slot_id', [ids, taken]);
      await c.query('ROLLBACK');
      return conflicts.rows.map(rowToSlot);
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async report(nodeId: string, slots: ReadonlyArray<{ slotId: number; info: Record<string, unknown> }>, now: number): Promise<void> {
    if (!slots.length) return;
    await this.pool.query(
      `UPDATE slots s SET heartbeat_at = $1, info = v.info
       FROM jsonb_to_recordset($2::jsonb) AS v(slot_id int, info jsonb)
       WHERE s.slot_id = v.slot_id AND s.node_id = $3`,
      [now, JSON.stringify(slots.map((s) => ({ slot_id: s.slotId, info: s.info }))), nodeId],
    );
  }

  async list(): Promise<SlotRecord[]> {
    return (await this.all('SELECT * FROM slots ORDER BY slot_id')).map(rowToSlot);
  }

  async unregister(nodeId: string): Promise<void> {
    await this.pool.query('DELETE FROM slots WHERE node_id = $1', [nodeId]);
  }
}
