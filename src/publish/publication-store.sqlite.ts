/**
 * PublicationStore on SQLite: its own connection to the gateway's database file (WAL lets it
 * share the file with the task store's connection), its own tables. Statements are plain SQL,
 * the same as the PostgreSQL adapter's (publication-store.postgres.ts) but for placeholders.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Publication, PublicationState, TargetType } from './publication.js';
import type { PublicationPatch, PublicationStore, PublishRequest } from './publication-store.js';
import { CLAIM_COLUMNS, patchEntries, PUBLICATION_SCHEMA_SQL, sortedTargets, toPublication, toRequest, type Row } from './publication-store.rows.js';

export class SqlitePublicationStore implements PublicationStore {
  private readonly db: Database.Database;
  private readonly s;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(PUBLICATION_SCHEMA_SQL);
    // A file written before claims existed: add their columns (SQLite has no ADD COLUMN IF NOT EXISTS).
    const have = new Set((this.db.prepare('PRAGMA table_info(publications)').all() as Array<{ name: string }>).map((c) => c.name));
    for (const [name, type] of CLAIM_COLUMNS) if (!have.has(name)) this.db.exec(`ALTER TABLE publications ADD COLUMN ${name} ${type}`);
    this.s = {
      saveRequest: this.db.prepare('INSERT INTO publish_requests (task_id, targets, created_at, planned) VALUES (?, ?, ?, 0) ON CONFLICT (task_id) DO NOTHING'),
      getRequest: this.db.prepare('SELECT * FROM publish_requests WHERE task_id = ?'),
      unplanned: this.db.prepare('SELECT * FROM publish_requests WHERE planned = 0 ORDER BY created_at LIMIT ?'),
      insert: this.db.prepare(
        `INSERT INTO publications (task_id, target, type, state, attempts, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, 'pending', 0, 0, ?, ?) ON CONFLICT (task_id, target) DO NOTHING`,
      ),
      markPlanned: this.db.prepare('UPDATE publish_requests SET planned = 1 WHERE task_id = ?'),
      insertPlannedRequest: this.db.prepare('INSERT INTO publish_requests (task_id, targets, created_at, planned) VALUES (?, ?, ?, 1) ON CONFLICT (task_id) DO NOTHING'),
      list: this.db.prepare('SELECT * FROM publications WHERE task_id = ? ORDER BY created_at, target'),
      claim: this.db.prepare(
        `UPDATE publications SET claimed_by = ?, claimed_until = ?
         WHERE task_id = ? AND target = ? AND (claimed_by IS NULL OR claimed_until <= ? OR claimed_by = ?)`,
      ),
      release: this.db.prepare('UPDATE publications SET claimed_by = NULL, claimed_until = NULL WHERE task_id = ? AND target = ? AND claimed_by = ?'),
      forgetReq: this.db.prepare('DELETE FROM publish_requests WHERE task_id = ?'),
      forgetPub: this.db.prepare('DELETE FROM publications WHERE task_id = ?'),
    };
  }

  async saveRequest(taskId: string, targets: readonly string[], now: number): Promise<void> {
    this.s.saveRequest.run(taskId, targets.join(','), now);
  }

  async getRequest(taskId: string): Promise<PublishRequest | undefined> {
    const r = this.s.getRequest.get(taskId) as Row | undefined;
    return r && toRequest(r);
  }

  async unplannedRequests(limit: number): Promise<PublishRequest[]> {
    return (this.s.unplanned.all(limit) as Row[]).map(toRequest);
  }

  async plan(taskId: string, targets: ReadonlyArray<{ target: string; type: TargetType }>, now: number): Promise<void> {
    this.db.transaction(() => {
      for (const t of sortedTargets(targets)) this.s.insert.run(taskId, t.target, t.type, now, now);
      // A task submitted before this request record existed (older gateway) still gets one.
      this.s.insertPlannedRequest.run(taskId, targets.map((t) => t.target).join(','), now);
      this.s.markPlanned.run(taskId);
    })();
  }

  async hasAny(): Promise<boolean> {
    return this.db.prepare('SELECT EXISTS (SELECT 1 FROM publish_requests) OR EXISTS (SELECT 1 FROM publications) AS any').pluck().get() === 1;
  }

  async list(taskId: string): Promise<Publication[]> {
    return (this.s.list.all(taskId) as Row[]).map(toPublication);
  }

  async listByState(states: readonly PublicationState[], limit: number): Promise<Publication[]> {
    if (!states.length) return [];
    const rows = this.db
      .prepare(`SELECT * FROM publications WHERE state IN (${states.map(() => '?').join(', ')}) ORDER BY next_attempt_at, created_at LIMIT ?`)
      .all(...states, limit) as Row[];
    return rows.map(toPublication);
  }

  async update(taskId: string, target: string, patch: PublicationPatch, now: number): Promise<boolean> {
    const entries = patchEntries(patch);
    const sets = entries.map(([c]) => `${c} = ?`);
    const info = this.db
      .prepare(`UPDATE publications SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE task_id = ? AND target = ?`)
      .run(...entries.map(([, v]) => v), now, taskId, target);
    return info.changes > 0;
  }

  async claim(taskId: string, target: string, holder: string, now: number, leaseMs: number): Promise<boolean> {
    return this.s.claim.run(holder, now + leaseMs, taskId, target, now, holder).changes === 1;
  }

  async release(taskId: string, target: string, holder: string): Promise<void> {
    this.s.release.run(taskId, target, holder);
  }

  async forget(taskIds: readonly string[]): Promise<void> {
    this.db.transaction(() => {
      for (const id of taskIds) {
        this.s.forgetReq.run(id);
        this.s.forgetPub.run(id);
      }
    })();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
