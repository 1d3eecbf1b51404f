/**
 * LibraryStore on SQLite: its own connection to the gateway's database file (WAL lets it share
 * the file with the task store), tables from the library migration (applied here too: it is
 * idempotent, and a gateway whose task store is not this file still gets them).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SQLITE_LIBRARY } from '../store/migrations/library.js';
import type { LibraryItem, TaskLibraryRefs } from './library.js';
import { applyPatch, LIBRARY_SQL, toItem, toRowValues, USERS_CHUNK, type LibraryListFilter, type LibraryPatch, type LibraryRow, type LibraryStore } from './library-store.js';

export class SqliteLibraryStore implements LibraryStore {
  private readonly db: Database.Database;
  /** Statements by SQL text: preparing costs more than running an indexed read (the status route reads a task's refs). */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SQLITE_LIBRARY);
  }

  private prepare(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      // IN-lists of every length have their own text: keep only the fixed statements.
      if (this.statements.size < 64) this.statements.set(sql, st);
    }
    return st;
  }

  async insert(item: LibraryItem): Promise<void> {
    this.prepare(LIBRARY_SQL.insert).run(...toRowValues(item));
  }

  async get(id: string): Promise<LibraryItem | undefined> {
    const r = this.prepare(LIBRARY_SQL.get).get(id) as LibraryRow | undefined;
    return r ? toItem(r) : undefined;
  }

  async list(f: LibraryListFilter): Promise<{ items: LibraryItem[]; total: number }> {
    const rows = (f.visibleTo === undefined
      ? this.prepare(LIBRARY_SQL.listAll).all(f.kind, f.limit, f.offset)
      : this.prepare(LIBRARY_SQL.listVisible).all(f.kind, f.visibleTo, f.limit, f.offset)) as LibraryRow[];
    const n = (f.visibleTo === undefined ? this.prepare(LIBRARY_SQL.countAll).get(f.kind) : this.prepare(LIBRARY_SQL.countVisible).get(f.kind, f.visibleTo)) as { n: number };
    return { items: rows.map(toItem), total: Number(n.n) };
  }

  async update(id: string, patch: LibraryPatch, now: number): Promise<LibraryItem | undefined> {
    return this.db.transaction(() => {
      const r = this.prepare(LIBRARY_SQL.get).get(id) as LibraryRow | undefined;
      if (!r) return undefined;
      const next = { ...applyPatch(toItem(r), patch), updatedAt: now };
      this.prepare(LIBRARY_SQL.update).run(next.name, next.shared ? 1 : 0, JSON.stringify(next.data), now, id);
      return next;
    })();
  }

  async delete(id: string): Promise<boolean> {
    return this.prepare(LIBRARY_SQL.delete).run(id).changes > 0;
  }

  async contentHashes(): Promise<string[]> {
    return (this.prepare(LIBRARY_SQL.hashes).all() as Array<{ content_hash: string }>).map((r) => r.content_hash);
  }

  async attachTask(taskId: string, refs: TaskLibraryRefs, now: number): Promise<void> {
    this.prepare(LIBRARY_SQL.attach).run(taskId, refs.avatarId, refs.voiceId, now);
  }

  async taskRefs(taskId: string): Promise<TaskLibraryRefs | undefined> {
    const r = this.prepare(LIBRARY_SQL.refs).get(taskId) as { avatar_id: string | null; voice_id: string | null } | undefined;
    return r ? { avatarId: r.avatar_id, voiceId: r.voice_id } : undefined;
  }

  async avatarsOf(taskIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < taskIds.length; i += USERS_CHUNK) {
      const chunk = taskIds.slice(i, i + USERS_CHUNK);
      const rows = this.db
        .prepare(`SELECT task_id, avatar_id FROM library_task_inputs WHERE avatar_id IS NOT NULL AND task_id IN (${chunk.map(() => '?').join(', ')})`)
        .all(...chunk) as Array<{ task_id: string; avatar_id: string }>;
      for (const r of rows) out.set(r.task_id, r.avatar_id);
    }
    return out;
  }

  async usersAmong(id: string, taskIds: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < taskIds.length; i += USERS_CHUNK) {
      const chunk = taskIds.slice(i, i + USERS_CHUNK);
      const marks = chunk.map(() => '?').join(', ');
      const rows = this.db
        .prepare(`SELECT task_id FROM library_task_inputs WHERE (avatar_id = ? OR voice_id = ?) AND task_id IN (${marks})`)
        .all(id, id, ...chunk) as Array<{ task_id: string }>;
      out.push(...rows.map((r) => r.task_id));
    }
    return out;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
