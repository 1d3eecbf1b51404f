/**
 * One gateway process per data dir with the SQLite store. Two processes on one dir would both
 * "recover" each other's live tasks and drive the same containers (a container renders one job
 * at a time and drops a second submit).
 *
 * The lock is held by the operating system: an exclusive SQLite lock (fcntl) on a small
 * `gateway.lock.db`, kept for the life of the connection. The kernel drops it the moment the
 * process dies — before its parent reaps it — so a restart right after `kill -9` always works,
 * and a pid reused by an unrelated process cannot block one (liveness was judged by
 * `kill(pid, 0)` once: a zombie and a stranger both passed). `gateway.lock` beside it names the
 * holder (pid, host, start time) for the error message only, except:
 * - a holder file from another host (a data dir on a network share, where file locks may not
 *   reach across hosts) → refused: the message says how to clear it by hand.
 * Details: docs/operations.md ("One process per data dir").
 */
import Database from 'better-sqlite3';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  /** The data dir, so a message from a copied file still makes sense. */
  dataDir?: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: LockHolder | null,
  ) {
    const who = holder ? `pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}` : 'an unknown process (unreadable lock file)';
    const fix =
      holder && holder.host !== hostname()
        ? `stop that gateway first; if it is gone for good, delete ${lockPath}`
        : `stop that gateway first (kill ${holder?.pid ?? '<pid>'}), or give this one its own dataDir`;
    super(`The data dir is already in use by another heygem-gateway: ${who} (lock ${lockPath}). ${fix}.`);
    this.name = 'DataDirLockedError';
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    return Number.isInteger(h.pid) && typeof h.host === 'string' ? h : null;
  } catch {
    return null;
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

const isBusy = (err: unknown) => /^SQLITE_(BUSY|LOCKED)/.test(String((err as { code?: unknown }).code ?? ''));

/** Take the lock on `dataDir` or throw DataDirLockedError. Release it on shutdown. */
export function acquireDataDirLock(dataDir: string, now = () => new Date()): DataDirLock {
  const path = join(dataDir, 'gateway.lock');
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: now().toISOString(), dataDir };
  let db: Database.Database | null = null;
  try {
    // timeout 0: a held lock is an answer, not something to wait for.
    db = new Database(join(dataDir, 'gateway.lock.db'), { timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE'); // the first write takes the lock, and it is never given back
    db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (pid INTEGER); COMMIT');
  } catch (err) {
    db?.close();
    if (isBusy(err)) throw new DataDirLockedError(path, readHolder(path));
    throw err;
  }
  const previous = readHolder(path);
  if (previous && previous.host !== hostname()) {
    db.close();
    throw new DataDirLockedError(path, previous);
  }
  writeFileSync(path, `${JSON.stringify(me)}\n`, { mode: 0o644 });
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      // The holder file first: once the lock is free, another process may write its own.
      const h = readHolder(path);
      if (h && h.pid === me.pid && h.startedAt === me.startedAt && h.host === me.host) {
        try {
          unlinkSync(path);
        } catch {
          /* already gone */
        }
      }
      db!.close();
    },
  };
}
