/**
 * Files by key: a TaskStore decorator that stores the file fields of a task (videoPath,
 * referenceAudio, audioPath, outputPath) as keys relative to the data dir and hands them back
 * as absolute paths under this process's own data dir. The rest of the gateway keeps working
 * with paths; the records never hold one (a moved data dir, or nodes that mount it at different
 * places, still resolve every file). A path outside the data dir (a slot's default voice kept
 * elsewhere) is stored as it is. Old absolute rows are converted by the files-by-key migration.
 */
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Task } from '../domain/task.js';
import type { NewTask, TaskPatch, TaskStore } from './task-store.js';

const FIELDS = ['videoPath', 'referenceAudio', 'audioPath', 'outputPath'] as const;

/** An absolute path under `root` → its key (`outputs/x.mp4`); anything else unchanged. */
export function toKey(root: string, path: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(root, path);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return path;
  return rel.split(sep).join('/');
}

/** A key → the absolute path under `root`; an absolute path unchanged. */
export function fromKey(root: string, key: string): string {
  return isAbsolute(key) ? key : join(root, ...key.split('/'));
}

type WithFiles = Partial<Record<(typeof FIELDS)[number], string | null>>;

function mapFiles<T extends WithFiles>(obj: T, f: (p: string) => string): T {
  let out = obj;
  for (const k of FIELDS) {
    const v = obj[k];
    if (typeof v === 'string') {
      if (out === obj) out = { ...obj };
      out[k] = f(v) as T[typeof k];
    }
  }
  return out;
}

export function withDataKeys(store: TaskStore, root: string): TaskStore {
  const out = (t: Task): Task => mapFiles(t, (k) => fromKey(root, k));
  const outMaybe = (t: Task | undefined) => (t ? out(t) : t);
  const outAll = (ts: Task[]) => ts.map(out);
  const inn = <T extends WithFiles>(p: T): T => mapFiles(p, (x) => toKey(root, x));
  const keyed: Partial<TaskStore> = {
    create: async (t: NewTask) => out(await store.create(inn(t))),
    get: async (id) => outMaybe(await store.get(id)),
    claimNext: async (req) => outMaybe(await store.claimNext(req)),
    transition: async (id, guard, to, patch: TaskPatch, now, message) => outMaybe(await store.transition(id, guard, to, inn(patch), now, message)),
    patch: async (id, fence, patch: TaskPatch, now) => store.patch(id, fence, inn(patch), now),
    reclaim: async (id, fence, holder, now, leaseMs) => outMaybe(await store.reclaim(id, fence, holder, now, leaseMs)),
    listExpired: async (now, limit) => outAll(await store.listExpired(now, limit)),
    listHeldBy: async (holder) => outAll(await store.listHeldBy(holder)),
    listQueued: async (limit) => outAll(await store.listQueued(limit)),
    listInStates: async (states) => outAll(await store.listInStates(states)),
    list: async (filter) => {
      const r = await store.list(filter);
      return { ...r, items: outAll(r.items) };
    },
    listForStats: async (from, to) => outAll(await store.listForStats(from, to)),
    listSegments: async (parentId) => outAll(await store.listSegments(parentId)),
  };
  // Everything else (queue, slots, events, notifications, adapter extras like the PostgreSQL
  // pool) is the store's own.
  // Bound methods are made once: a bind per access allocated a function on every store call.
  const bound = new Map<string | symbol, unknown>();
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && prop in keyed) return keyed[prop as keyof TaskStore];
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      let b = bound.get(prop);
      if (b === undefined || (b as { original?: unknown }).original !== v) {
        b = Object.assign(v.bind(target), { original: v });
        bound.set(prop, b);
      }
      return b;
    },
  });
}
