/**
 * Free space on the data dir, so new work is refused (507) before the disk fills instead of
 * failing halfway through an upload or a render copy.
 *
 * Every check asks the filesystem (one statfs, a few microseconds): a cached answer once let
 * 29 tasks in with 4 MB free. Concurrent callers share one in-flight statfs, and uploads that
 * were accepted but are still streaming hold a *reservation* of their declared size, so a burst
 * of submits cannot all pass on the same free-space reading.
 */
import { statfs } from 'node:fs/promises';

export type StatfsFn = (path: string) => Promise<{ bavail: number | bigint; bsize: number | bigint }>;

export interface DiskCheck {
  ok: boolean;
  freeBytes: number;
  minFreeBytes: number;
  /** Bytes promised to uploads still in flight (already subtracted from freeBytes). */
  reservedBytes: number;
}

export class DiskSpaceGuard {
  private inflight: Promise<number> | null = null;
  private reserved = 0;

  constructor(
    private readonly dir: string,
    readonly minFreeBytes: number,
    private readonly statfsFn: StatfsFn = (p) => statfs(p),
  ) {}

  /** Free bytes for unprivileged writers (bavail, not bfree: root's reserve is not ours). */
  async freeBytes(): Promise<number> {
    this.inflight ??= this.statfsFn(this.dir)
      .then((s) => Number(s.bavail) * Number(s.bsize))
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  /**
   * ok: false only on a positive answer of "too little" once `needBytes` more are written; a
   * failing statfs does not block work (the write itself will report a full disk).
   */
  async check(needBytes = 0): Promise<DiskCheck> {
    if (this.minFreeBytes <= 0) return { ok: true, freeBytes: Infinity, minFreeBytes: 0, reservedBytes: this.reserved };
    const free = (await this.freeBytes().catch(() => Infinity)) - this.reserved;
    return { ok: free - needBytes >= this.minFreeBytes, freeBytes: free, minFreeBytes: this.minFreeBytes, reservedBytes: this.reserved };
  }

  /** Hold `bytes` until the returned release runs (idempotent). */
  reserve(bytes: number): () => void {
    const n = Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
    this.reserved += n;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.reserved -= n;
    };
  }
}

/** A write that failed because the filesystem is full (SQLite or fs). */
export function isDiskFullError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT';
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return 'unknown';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = Math.max(0, n);
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
