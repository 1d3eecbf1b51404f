/**
 * The LibraryStore port: library items and the items each task uses. Adapters: SQLite (the
 * gateway's database file) and PostgreSQL (the shared store's pool); both run the conformance
 * suite in library-store.conformance.ts. The SQL is the same text for both but placeholders.
 */
import type { LibraryItem, LibraryKind, TaskLibraryRefs } from './library.js';

export interface LibraryListFilter {
  kind: LibraryKind;
  /** Only items this key owns or that are shared; undefined = every item (auth off, admin). */
  visibleTo?: string;
  limit: number;
  offset: number;
}

export interface LibraryPatch {
  name?: string;
  shared?: boolean;
  /** Replaces the whole data document. */
  data?: LibraryItem['data'];
}

export interface LibraryStore {
  insert(item: LibraryItem): Promise<void>;
  get(id: string): Promise<LibraryItem | undefined>;
  list(filter: LibraryListFilter): Promise<{ items: LibraryItem[]; total: number }>;
  update(id: string, patch: LibraryPatch, now: number): Promise<LibraryItem | undefined>;
  delete(id: string): Promise<boolean>;
  /** Every content hash still in the library (container copies of others can go). */
  contentHashes(): Promise<string[]>;
  attachTask(taskId: string, refs: TaskLibraryRefs, now: number): Promise<void>;
  taskRefs(taskId: string): Promise<TaskLibraryRefs | undefined>;
  /** The avatar of each of `taskIds` that has one. */
  avatarsOf(taskIds: readonly string[]): Promise<Map<string, string>>;
  /** Which of `taskIds` use item `id` (as avatar or as voice). */
  usersAmong(id: string, taskIds: readonly string[]): Promise<string[]>;
  close(): Promise<void>;
}

export interface LibraryRow {
  id: string;
  kind: string;
  owner: string | null;
  shared: number | string;
  name: string;
  content_hash: string;
  data: string;
  created_at: number | string;
  updated_at: number | string;
}

export function toItem(r: LibraryRow): LibraryItem {
  return {
    id: r.id,
    kind: r.kind as LibraryKind,
    owner: r.owner,
    shared: Number(r.shared) === 1,
    name: r.name,
    contentHash: r.content_hash,
    data: JSON.parse(r.data) as LibraryItem['data'],
    // PostgreSQL returns BIGINT as a string
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function toRowValues(i: LibraryItem): unknown[] {
  return [i.id, i.kind, i.owner, i.shared ? 1 : 0, i.name, i.contentHash, JSON.stringify(i.data), i.createdAt, i.updatedAt];
}

/** SQL shared by both adapters, `?` placeholders; the PostgreSQL adapter numbers them. */
export const LIBRARY_SQL = {
  insert: 'INSERT INTO library_items (id, kind, owner, shared, name, content_hash, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  get: 'SELECT * FROM library_items WHERE id = ?',
  listAll: 'SELECT * FROM library_items WHERE kind = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?',
  countAll: 'SELECT COUNT(*) AS n FROM library_items WHERE kind = ?',
  listVisible: 'SELECT * FROM library_items WHERE kind = ? AND (owner = ? OR shared = 1) ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?',
  countVisible: 'SELECT COUNT(*) AS n FROM library_items WHERE kind = ? AND (owner = ? OR shared = 1)',
  update: 'UPDATE library_items SET name = ?, shared = ?, data = ?, updated_at = ? WHERE id = ?',
  delete: 'DELETE FROM library_items WHERE id = ?',
  hashes: 'SELECT DISTINCT content_hash FROM library_items',
  attach: 'INSERT INTO library_task_inputs (task_id, avatar_id, voice_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (task_id) DO UPDATE SET avatar_id = excluded.avatar_id, voice_id = excluded.voice_id',
  refs: 'SELECT avatar_id, voice_id FROM library_task_inputs WHERE task_id = ?',
} as const;

/** The patched row (or undefined) from the current one. */
export function applyPatch(cur: LibraryItem, p: LibraryPatch): LibraryItem {
  return { ...cur, name: p.name ?? cur.name, shared: p.shared ?? cur.shared, data: p.data ?? cur.data };
}

/** Usage lookups go in chunks: a bounded number of placeholders per statement. */
export const USERS_CHUNK = 500;
