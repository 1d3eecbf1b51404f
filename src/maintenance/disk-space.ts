/**
 * Free space on the data dir, so new work is refused (507) before the disk fills instead of
 * failing halfway through an upload or a render copy. statfs is cheap but not free: the answer
 * is cached for `ttlMs` and concurrent callers share one in-flight call.
 */
import { statfs } from 'node:fs/promises';

export interface DiskClock {
  now(): number;
}

export type StatfsFn = (path: string) => Promise<{ bavail: number | bigint; bsize: number | bigint }>;

export interface DiskCheck {
  ok: boolean;
  freeBytes: number;
  minFreeBytes: number;
}

export class DiskSpaceGuard {
  private cached: { at: number; free: number } | null = null;
  private inflight: Promise<number> | null = null;

  constructor(
    private readonly dir: string,
    private readonly minFreeBytes: number,
    private readonly clock: DiskClock = { now: () => Date.now() },
    private readonly ttlMs = 1500,
    private readonly statfsFn: StatfsFn = (p) => statfs(p),
  ) {}

  async freeBytes(): Promise<number> {
    const now = this.clock.now();
    if (this.cached && now - this.cached.at < this.ttlMs) return this.cached.free;
    this.inflight ??= this.statfsFn(this.dir)
      .then((s) => {
        const free = Number(s.bavail) * Number(s.bsize);
        this.cached = { at: this.clock.now(), free };
        return free;
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  /** ok: false only on a positive answer of "too little"; a failing statfs does not block work. */
  async check(): Promise<DiskCheck> {
    if (this.minFreeBytes <= 0) return { ok: true, freeBytes: Infinity, minFreeBytes: 0 };
    const free = await this.freeBytes().catch(() => Infinity);
    return { ok: free >= this.minFreeBytes, freeBytes: free, minFreeBytes: this.minFreeBytes };
  }
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return 'unknown';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
