/**
 * One gateway process per data dir (src/store/data-dir-lock.ts): the lock itself, and two real
 * `serve` processes on one dir — the second exits non-zero naming the first.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError } from '../src/store/data-dir-lock.js';
import { freePort, startServe, writeConfig, type ServeProcess } from './helpers/process.js';
import { waitFor } from './helpers/wait.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const dir = () => mkdtempSync(join(tmpdir(), 'hg-lock-'));

describe('data dir lock', () => {
  it('is exclusive, names its holder, and can be taken again after release', () => {
    const d = dir();
    const lock = acquireDataDirLock(d);
    cleanups.push(() => lock.release());
    const holder = JSON.parse(readFileSync(join(d, 'gateway.lock'), 'utf8')) as { pid: number; host: string; startedAt: string };
    expect(holder).toMatchObject({ pid: process.pid, host: hostname() });
    let err: unknown;
    try {
      acquireDataDirLock(d);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataDirLockedError);
    expect(String((err as Error).message)).toContain(`pid ${process.pid} on ${hostname()}, started ${holder.startedAt}`);
    lock.release();
    expect(existsSync(join(d, 'gateway.lock'))).toBe(false);
    acquireDataDirLock(d).release();
  });

  it('takes over a lock left by a process that is gone; refuses one from another host', () => {
    const d = dir();
    // A real pid that has exited: run a process to completion and keep its pid.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    expect(deadPid).toBeGreaterThan(0);
    writeFileSync(join(d, 'gateway.lock'), JSON.stringify({ pid: deadPid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    const lock = acquireDataDirLock(d);
    expect(JSON.parse(readFileSync(join(d, 'gateway.lock'), 'utf8')).pid).toBe(process.pid);
    lock.release();
    // A holder file naming a live process that is not a gateway (pid reuse after a reboot) does not block.
    writeFileSync(join(d, 'gateway.lock'), JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    acquireDataDirLock(d).release();
    writeFileSync(join(d, 'gateway.lock'), JSON.stringify({ pid: 1, host: 'other-host.example', startedAt: '2026-01-01T00:00:00.000Z' }));
    expect(() => acquireDataDirLock(d)).toThrow(/pid 1 on other-host\.example.*delete .*gateway\.lock/);
  });
});

describe('two serve processes on one data dir', () => {
  it('a restart right after kill -9 starts, while the killed process is still an unreaped zombie', async () => {
    const base = dir();
    const [port1, port2] = [await freePort(), await freePort()];
    const config = (port: number) =>
      writeConfig(mkdtempSync(join(base, 'cfg-')), { server: { host: '127.0.0.1', port }, dataDir: join(base, 'data'), engine: 'preview', preview: { slots: 1 } });
    // A parent that starts `serve` and then never runs its event loop again, so it never reaps
    // the child: what a shell or process manager that has not waited yet looks like.
    const parentScript = [
      "const { spawn } = require('node:child_process');",
      "const c = spawn(process.execPath, ['bin/heygem-gateway.js', 'serve', '--config', process.argv[1]], { stdio: ['ignore', 'inherit', 'inherit'] });",
      "process.stdout.write('child-pid:' + c.pid + '\\n', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0));",
    ].join('\n');
    const parent = spawn(process.execPath, ['-e', parentScript, config(port1)], {
      env: { ...process.env, HEYGEM_GATEWAY_CONFIG: '', PORT: '', HOST: '', DATA_DIR: '', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => void parent.kill('SIGKILL'));
    let out = '';
    parent.stdout.on('data', (c) => (out += c));
    parent.stderr.on('data', (c) => (out += c));
    await waitFor(async () => out.includes('listening on'), 60_000);
    const pid = Number(/child-pid:(\d+)/.exec(out)![1]);
    process.kill(pid, 'SIGKILL');
    const state = () => (existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] : 'gone');
    await waitFor(async () => state() === 'Z');
    const restarted = await startServe(config(port2), port2);
    cleanups.push(async () => {
      restarted.child.kill('SIGKILL');
      await restarted.exited;
    });
    expect(state()).toBe('Z'); // still unreaped while the new one serves
    expect((await fetch(`${restarted.url}/api/health/live`)).status).toBe(200);
  }, 120_000);

  it('the second exits non-zero with a message naming the first; after the first stops, a new one starts', async () => {
    const base = dir();
    const [port1, port2] = [await freePort(), await freePort()];
    const config = (port: number) =>
      writeConfig(mkdtempSync(join(base, 'cfg-')), { server: { host: '127.0.0.1', port }, dataDir: join(base, 'data'), engine: 'preview', preview: { slots: 1 } });
    const first: ServeProcess = await startServe(config(port1), port1);
    cleanups.push(async () => {
      if (first.child.exitCode === null && first.child.signalCode === null) {
        first.child.kill('SIGKILL');
        await first.exited;
      }
    });
    const second = spawn(process.execPath, ['bin/heygem-gateway.js', 'serve', '--config', config(port2)], {
      env: { ...process.env, HEYGEM_GATEWAY_CONFIG: '', PORT: '', HOST: '', DATA_DIR: '', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    second.stdout.on('data', (c) => (out += c));
    second.stderr.on('data', (c) => (out += c));
    const code = await new Promise<number | null>((resolve) => second.once('exit', (c) => resolve(c)));
    expect(code, out).not.toBe(0);
    expect(out).toContain(`already in use by another heygem-gateway: pid ${first.child.pid} on ${hostname()}`);
    expect(out).not.toContain('listening on');
    // The first one is untouched and still serving.
    expect((await fetch(`${first.url}/api/health/live`)).status).toBe(200);
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    expect(existsSync(join(base, 'data', 'gateway.lock'))).toBe(false);
    const third = await startServe(config(port2), port2);
    cleanups.push(async () => {
      third.child.kill('SIGKILL');
      await third.exited;
    });
    expect((await fetch(`${third.url}/api/health/live`)).status).toBe(200);
  }, 90_000);
});
