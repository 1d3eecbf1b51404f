/**
 * A full disk ends a request, never the process (docs/operations.md, "Disk"). The data dir
 * lives on a tiny tmpfs that the test fills for real:
 * - the free-space guard asks the filesystem on every submit (no stale cache), counts the
 *   declared upload size, and /api/health + /api/health/ready report it;
 * - with the guard off, a write that fails with SQLITE_FULL answers a JSON 507 and the `serve`
 *   process keeps running; after space is freed the next submit works.
 * Mounting needs root (or CAP_SYS_ADMIN): elsewhere the file is skipped with the reason.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { InertMedia, scriptedSlots } from './doubles/scripted-engines.js';
import { startTestGateway, waitFor } from './helpers/gateway.js';
import { freePort, startServe, writeConfig } from './helpers/process.js';

const MiB = 1024 * 1024;
const mountPoint = mkdtempSync(join(tmpdir(), 'hg-tinyfs-'));
let skipReason = '';
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0777', 'tmpfs', mountPoint], { stdio: 'pipe' });
} catch (err) {
  skipReason = `cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): ${String((err as { stderr?: Buffer }).stderr ?? (err as Error).message).trim()}`;
  console.warn(`disk-full tests skipped: ${skipReason}`);
}

afterAll(() => {
  // Lazy: a file handle still closing must not leave the mount behind.
  if (!skipReason) execFileSync('umount', ['-l', mountPoint]);
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

const free = () => {
  const s = statfsSync(mountPoint);
  return s.bavail * s.bsize;
};

/** Write zeros to `path` until `bytes` are written or the filesystem is full. */
function fill(path: string, bytes = Infinity): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (let written = 0; written < bytes; ) {
      const n = Math.min(chunk.length, bytes - written);
      try {
        written += writeSync(fd, chunk, 0, n);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOSPC') return;
        throw err;
      }
    }
  } finally {
    closeSync(fd);
  }
}

const json = (text: string) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });

describe.skipIf(skipReason !== '')('a full disk', () => {
  it('the guard checks before each submit (uploads count by declared size) and health reports it', async () => {
    const dataDir = join(mountPoint, 'guard');
    mkdirSync(dataDir);
    const t = await startTestGateway(
      { limits: { minFreeDiskBytes: 2 * MiB }, scheduler: { enabled: false } },
      { log: pino({ level: 'silent' }), media: new InertMedia(), slotEngines: scriptedSlots(1, { ttsMs: 5, renderMs: 5 }, { events: [] }) },
      dataDir,
    );
    cleanups.push(() => t.close());
    await t.gw.health.settled();
    expect((await fetch(`${t.url}/api/generate`, json('fits'))).status).toBe(202);
    // An upload that would leave less than the minimum is refused before a byte is stored.
    const big = Math.max(0, free() - MiB);
    const refusedUpload = await new Promise<number>((resolve, reject) => {
      const req = request(`${t.url}/api/generate`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(big) } }, (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy(); // the body will never come: free the connection
      });
      req.on('error', reject);
      req.flushHeaders(); // headers only: the answer must come before any body byte
    });
    expect(refusedUpload).toBe(507);
    // Fill the disk to 1 MiB free: the very next submit is refused — no cached "enough".
    const filler = join(mountPoint, 'filler-guard');
    fill(filler, free() - MiB);
    cleanups.push(async () => rmSync(filler, { force: true }));
    const refused = await fetch(`${t.url}/api/generate`, json('no room'));
    expect(refused.status).toBe(507);
    expect(await refused.json()).toMatchObject({ code: 'insufficient_storage', error: expect.stringMatching(/free disk space/) });
    const health = (await (await fetch(`${t.url}/api/health`)).json()) as Record<string, unknown>;
    // (status `unhealthy`, not `degraded`: with the scheduler off this node renders nothing itself)
    expect(health).toMatchObject({ status: 'unhealthy', disk: { ok: false, min_free_bytes: 2 * MiB } });
    expect((health.reasons as string[]).some((r) => r.startsWith('disk:'))).toBe(true);
    expect((await fetch(`${t.url}/api/health/ready`)).status).toBe(503);
    // Space freed: accepted again at once, and the disk no longer holds readiness back (this node
    // drives no slot — scheduler off — so readiness waits on the deployment, not on the disk).
    rmSync(filler);
    expect((await fetch(`${t.url}/api/generate`, json('room again'))).status).toBe(202);
    const ready = (await (await fetch(`${t.url}/api/health/ready`)).json()) as { reasons: string[] };
    expect(ready.reasons.filter((r) => r.startsWith('disk:'))).toEqual([]);
  });

  it('SQLITE_FULL on submit answers a JSON 507; the serve process survives and recovers when space is freed', async () => {
    const dataDir = join(mountPoint, 'sqlite');
    const port = await freePort();
    const config = writeConfig(mkdtempSync(join(tmpdir(), 'hg-tinyfs-cfg-')), {
      server: { host: '127.0.0.1', port },
      dataDir,
      engine: 'preview',
      preview: { slots: 1 },
      scheduler: { enabled: false }, // tasks stay queued: only the request path writes
      limits: { minFreeDiskBytes: 0 }, // guard off: the write itself must hit the full disk
      rateLimit: { submitsPerMinutePerIp: 0 },
    });
    const p = await startServe(config, port);
    cleanups.push(async () => {
      if (p.child.exitCode === null && p.child.signalCode === null) {
        p.child.kill('SIGKILL');
        await p.exited;
      }
    });
    const filler = join(mountPoint, 'filler-sqlite');
    fill(filler);
    cleanups.push(async () => rmSync(filler, { force: true }));
    // WAL pages already allocated may absorb a few rows: submit until the store hits the wall.
    const text = 'The disk is full. '.repeat(250);
    let failure: { status: number; body: Record<string, unknown> } | null = null;
    for (let i = 0; i < 400 && !failure; i++) {
      const r = await fetch(`${p.url}/api/generate`, json(text));
      if (r.status >= 500) failure = { status: r.status, body: (await r.json()) as Record<string, unknown> };
      else expect(r.status).toBe(202);
    }
    expect(failure, 'no write failed although the filesystem is full').not.toBeNull();
    expect(failure).toMatchObject({ status: 507, body: { code: 'insufficient_storage', error: expect.any(String) } });
    expect(JSON.stringify(failure!.body)).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect((await fetch(`${p.url}/api/health/live`)).status).toBe(200);
    expect(p.child.exitCode).toBeNull();
    rmSync(filler);
    const after = await fetch(`${p.url}/api/generate`, json('After the storm.'));
    expect(after.status).toBe(202);
    const id = String(((await after.json()) as { task_id: string }).task_id);
    await waitFor(async () => ((await (await fetch(`${p.url}/api/status/${id}`)).json()) as { status: string }).status === 'queued');
    expect(p.child.exitCode).toBeNull();
    expect(p.output()).toMatch(/SQLITE_FULL/); // the fault was the database write, logged once
    expect(p.output()).not.toMatch(/unhandled|uncaught/i);
  }, 120_000);
});
