import { describe, expect, it } from 'vitest';
import { DiskSpaceGuard, formatBytes, isDiskFullError } from './disk-space.js';

describe('DiskSpaceGuard', () => {
  it('asks the filesystem on every check (no stale answer) and shares one in-flight call', async () => {
    let calls = 0;
    let bavail = 100;
    const g = new DiskSpaceGuard('/x', 1000, async () => {
      calls++;
      return { bavail, bsize: 4096 };
    });
    expect((await g.check()).ok).toBe(true);
    bavail = 0;
    const [a, b] = await Promise.all([g.check(), g.check()]);
    expect(calls).toBe(2);
    expect(a).toMatchObject({ ok: false, freeBytes: 0 });
    expect(b.ok).toBe(false);
    bavail = 100;
    expect((await g.check()).ok).toBe(true);
    expect(calls).toBe(3);
  });

  it('counts reservations of uploads in flight, so a burst cannot pass on one reading', async () => {
    const g = new DiskSpaceGuard('/x', 1000, async () => ({ bavail: 10, bsize: 1000 })); // 10 kB free
    expect((await g.check(8000)).ok).toBe(true);
    const release = g.reserve(8000);
    expect(await g.check(2000)).toMatchObject({ ok: false, reservedBytes: 8000, freeBytes: 2000 });
    release();
    release(); // idempotent
    expect((await g.check(2000)).ok).toBe(true);
  });

  it('is off at 0 and does not block work when statfs fails', async () => {
    const off = new DiskSpaceGuard('/x', 0, async () => {
      throw new Error('not called');
    });
    expect((await off.check()).ok).toBe(true);
    const failing = new DiskSpaceGuard('/x', 10, async () => {
      throw new Error('EIO');
    });
    expect((await failing.check()).ok).toBe(true);
  });
});

describe('helpers', () => {
  it('recognizes full-disk errors and formats sizes', () => {
    expect(isDiskFullError(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toBe(true);
    expect(isDiskFullError(Object.assign(new Error('no space'), { code: 'ENOSPC' }))).toBe(true);
    expect(isDiskFullError(new Error('other'))).toBe(false);
    expect(formatBytes(4 * 1024 * 1024)).toBe('4.0 MiB');
    expect(formatBytes(Infinity)).toBe('unknown');
  });
});
