/**
 * PublicationStore on SQLite: its own connection to the gateway's database file (WAL lets it
 * share the file with the task store's connection), its own tables. Statements are plain SQL
 * so the PostgreSQL adapter can reuse them nearly verbatim.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Publication, PublicationState, TargetType } from './publication.js';
import type { PublicationPatch, PublicationStore, PublishRequest } from './publication-store.js';

export const PUBLICATION_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS publish_requests (
  task_id TEXT PRIMARY KEY,
  targets TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  planned INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS publish_requests_unplanned ON publish_requests (planned, created_at);
CREATE TABLE IF NOT EXISTS publications (
  task_id TEXT NOT NULL,
  target TEXT NOT NULL,
  type TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  url TEXT,
  remote_id TEXT,
  error TEXT,
  resume TEXT,
  next_attempt_at BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  done_at BIGINT,
  PRIMARY KEY (task_id, target)
);
CREATE INDEX IF NOT EXISTS publications_state ON publications (state, next_attempt_at);
`;

const COLUMNS: Record<keyof PublicationPatch, string> = {
  state: 'state',
  attempts: 'attempts',
  url: 'url',
  remoteId: 'remote_id',
  error: 'error',
  resume: 'resume',
  nextAttemptAt: 'next_attempt_at',
  doneAt: 'done_at',
};

type Row = Record<string, unknown>;

function toPublication(r: Row): Publication {
  return {
    taskId: r.task_id as string,
    target: r.target as string,
    type: r.type as TargetType,
    state: r.state as PublicationState,
    attempts: r.attempts as number,
    url: r.url as string | null,
    remoteId: r.remote_id as string | null,
    error: r.error as string | null,
    resume: r.resume ? (JSON.parse(r.resume as string) as Record<string, unknown>) : null,
    nextAttemptAt: Number(r.next_attempt_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    doneAt: r.done_at === null ? null : Number(r.done_at),
  };
}

function toRequest(r: Row): PublishRequest {
  return { taskId: r.task_id as string, targets: r.targets ? String(r.targets).split(',') : [], createdAt: Number(r.created_at), planned: r.planned === 1 };
}

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
      for (const t of targets) this.s.insert.run(taskId, t.target, t.type, now, now);
      // A task submitted before this request record existed (older gateway) still gets one.
      this.s.insertPlannedRequest.run(taskId, targets.map((t) => t.target).join(','), now);
      this.s.markPlanned.run(taskId);
    })();
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
    const keys = Object.keys(patch) as Array<keyof PublicationPatch>;
    const sets = keys.map((k) => `${COLUMNS[k]} = ?`);
    const values = keys.map((k) => (k === 'resume' ? (patch.resume == null ? null : JSON.stringify(patch.resume)) : (patch[k] ?? null)));
    const info = this.db.prepare(`UPDATE publications SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE task_id = ? AND target = ?`).run(...values, now, taskId, target);
    return info.changes > 0;
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
