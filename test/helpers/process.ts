/** Run the real CLI (`node bin/heygem-gateway.js serve`) as a child process, for crash and signal tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ServeProcess extends CliProcess {
  url: string;
}

export function writeConfig(dir: string, config: Record<string, unknown>): string {
  const path = join(dir, 'gateway.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/** A CLI child process started by `startCli`: its output so far and its exit. */
export interface CliProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Run `node bin/heygem-gateway.js <args>` and resolve once its stdout says `readyText`
 * (bounded by `timeoutMs`; an exit before that rejects with the output). The environment's
 * gateway variables are cleared so only the given config applies.
 */
export async function startCli(args: string[], o: { label: string; readyText: string; timeoutMs: number; env?: Record<string, string> }): Promise<CliProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'heygem-gateway.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...o.env, HEYGEM_GATEWAY_CONFIG: '', PORT: '', HOST: '', DATA_DIR: '', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${o.label} did not start in ${o.timeoutMs} ms:\n${out}`)), o.timeoutMs);
    child.stdout!.on('data', () => {
      if (out.includes(o.readyText)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${o.label} exited before it was ready:\n${out}`));
    });
  });
  return { child, output: () => out, exited };
}

/** Start `serve` and resolve once it prints its listening line (bounded). */
export async function startServe(configPath: string, port: number, extraArgs: string[] = [], timeoutMs = 30_000): Promise<ServeProcess> {
  const p = await startCli(['serve', '--config', configPath, ...extraArgs], { label: 'serve', readyText: 'listening on', timeoutMs });
  return { ...p, url: `http://127.0.0.1:${port}` };
}

/** `startServe`, with a cleanup that SIGKILLs the process if it is still running when the test ends. */
export async function startServeKilledOnCleanup(cleanups: Array<() => Promise<void>>, configPath: string, port: number, extraArgs: string[] = []): Promise<ServeProcess> {
  const p = await startServe(configPath, port, extraArgs);
  cleanups.push(async () => {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGKILL');
      await p.exited;
    }
  });
  return p;
}

/**
 * `serve` as a user starts it with no config at all (embedded defaults: SQLite, preview engine)
 * on a fresh data dir and a free port; stopped with SIGTERM (bounded) by `stop`.
 */
export async function startServeOnDefaults(dirPrefix: string): Promise<{ url: string; dataDir: string; output: () => string; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), dirPrefix));
  const child = spawn(process.execPath, ['bin/heygem-gateway.js', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', HEYGEM_GATEWAY_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = await waitFor(async () => /listening on (http:\/\/[\d.:]+)/.exec(output)?.[1], 30000, 50);
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((res) => child.once('exit', res));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((res) => setTimeout(res, 10000))]);
  };
  return { url, dataDir, output: () => output, stop };
}
