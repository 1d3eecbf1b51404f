/**
 * LibraryStore on PostgreSQL: the task store's pool (its migrations created the tables), the
 * same statements as the SQLite adapter with numbered placeholders.
 */
import type pg from 'pg';
import type { LibraryItem, TaskLibraryRefs } from './library.js';
import { applyPatch, LIBRARY_SQL, toItem, toRowValues, USERS_CHUNK, type LibraryListFilter, type LibraryPatch, type LibraryRow, type LibraryStore } from './library-store.js';

/** `?` → `$1, $2, …` */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const SQL = Object.fromEntries(Object.entries(LIBRARY_SQL).map(([k, v]) => [k, numbered(v)])) as Record<keyof typeof LIBRARY_SQL, string>;

export class PostgresLibraryStore implements LibraryStore {
  constructor(private readonly pool: pg.Pool) {}

  async insert(item: LibraryItem): Promise<void> {
    await this.pool.query(SQL.insert, toRowValues(item));
  }

  async get(id: string): Promise<LibraryItem | undefined> {
    const r = await this.pool.query<LibraryRow>(SQL.get, [id]);
    return r.rows[0] ? toItem(r.rows[0]) : undefined;
  }

  async list(f: LibraryListFilter): Promise<{ items: LibraryItem[]; total: number }> {
    const all = f.visibleTo === undefined;
    const [rows, n] = await Promise.all([
      this.pool.query<LibraryRow>(all ? SQL.listAll : SQL.listVisible, all ? [f.kind, f.limit, f.offset] : [f.kind, f.visibleTo, f.limit, f.offset]),
      this.pool.query<{ n: string }>(all ? SQL.countAll : SQL.countVisible, all ? [f.kind] : [f.kind, f.visibleTo]),
    ]);
    return { items: rows.rows.map(toItem), total: Number(n.rows[0].n) };
  }

  async update(id: string, patch: LibraryPatch, now: number): Promise<LibraryItem | undefined> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const r = await c.query<LibraryRow>(`${SQL.get} FOR UPDATE`, [id]);
      if (!r.rows[0]) {
        await c.query('ROLLBACK');
        return undefined;
      }
      const next = { ...applyPatch(toItem(r.rows[0]), patch), updatedAt: now };
      await c.query(SQL.update, [next.name, next.shared ? 1 : 0, JSON.stringify(next.data), now, id]);
      await c.query('COMMIT');
      return next;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.pool.query(SQL.delete, [id])).rowCount ?? 0) > 0;
  }

  async contentHashes(): Promise<string[]> {
    return (await this.pool.query<{ content_hash: string }>(SQL.hashes)).rows.map((r) => r.content_hash);
  }

  async attachTask(taskId: string, refs: TaskLibraryRefs, now: number): Promise<void> {
    await this.pool.query(SQL.attach, [taskId, refs.avatarId, refs.voiceId, now]);
  }

  async taskRefs(taskId: string): Promise<TaskLibraryRefs | undefined> {
    const r = await this.pool.query<{ avatar_id: string | null; voice_id: string | null }>(SQL.refs, [taskId]);
    return r.rows[0] ? { avatarId: r.rows[0].avatar_id, voiceId: r.rows[0].voice_id } : undefined;
  }

  async avatarsOf(taskIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < taskIds.length; i += USERS_CHUNK) {
      const r = await this.pool.query<{ task_id: string; avatar_id: string }>(
        'SELECT task_id, avatar_id FROM library_task_inputs WHERE avatar_id IS NOT NULL AND task_id = ANY($1::text[])',
        [taskIds.slice(i, i + USERS_CHUNK)],
      );
      for (const x of r.rows) out.set(x.task_id, x.avatar_id);
    }
    return out;
  }

  async usersAmong(id: string, taskIds: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < taskIds.length; i += USERS_CHUNK) {
      const r = await this.pool.query<{ task_id: string }>(
        'SELECT task_id FROM library_task_inputs WHERE (avatar_id = $1 OR voice_id = $1) AND task_id = ANY($2::text[])',
        [id, taskIds.slice(i, i + USERS_CHUNK)],
      );
      out.push(...r.rows.map((x) => x.task_id));
    }
    return out;
  }

  /** The pool belongs to the task store, which closes it. */
  async close(): Promise<void> {}
}
