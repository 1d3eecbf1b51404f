/**
 * One gateway process per data dir with the SQLite store. Two processes on one dir would both
 * "recover" each other's live tasks and drive the same containers (a container renders one job
 * at a time and drops a second submit). The lock is a file created with O_EXCL holding the
 * holder's pid, host and start time:
 * - held by a live pid on this host → refused, naming the holder;
 * - held by a pid that is gone (kill -9, power loss) → stale, taken over;
 * - held from another host (a data dir on a network share) → refused: its liveness cannot be
 *   checked from here, so the message says how to clear it by hand.
 * Details: docs/operations.md ("One process per data dir").
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
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

/** Lock files taken by this process and not yet released (a second gateway in one process). */
const heldHere = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
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

function isStale(path: string, h: LockHolder | null): boolean {
  if (!h) return false; // being written right now, or garbage: refuse rather than guess
  if (h.host !== hostname()) return false;
  // Our own pid without holding it here: a container restarted under the same pid (often 1).
  if (h.pid === process.pid) return !heldHere.has(path);
  return !pidAlive(h.pid);
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/** Take the lock on `dataDir` or throw DataDirLockedError. Release it on shutdown. */
export function acquireDataDirLock(dataDir: string, now = () => new Date()): DataDirLock {
  const path = join(dataDir, 'gateway.lock');
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: now().toISOString(), dataDir };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(path);
      if (attempt < 2 && isStale(path, holder)) {
        try {
          unlinkSync(path); // two starters may race here: the loser's openSync sees EEXIST again
        } catch {
          /* already removed by the other starter */
        }
        continue;
      }
      throw new DataDirLockedError(path, holder);
    }
    try {
      writeSync(fd, `${JSON.stringify(me)}\n`);
    } finally {
      closeSync(fd);
    }
    heldHere.add(path);
    let released = false;
    return {
      path,
      release() {
        if (released) return;
        released = true;
        heldHere.delete(path);
        // Remove only our own lock: never one a later process took over.
        const h = readHolder(path);
        if (h && h.pid === me.pid && h.startedAt === me.startedAt && h.host === me.host) {
          try {
            unlinkSync(path);
          } catch {
            /* already gone */
          }
        }
      },
    };
  }
}
