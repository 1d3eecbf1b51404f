/** Run the real CLI (`node bin/heygem-gateway.js serve`) as a child process, for crash and signal tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function writeConfig(dir: string, config: Record<string, unknown>): string {
  const path = join(dir, 'gateway.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/** Start `serve` and resolve once it prints its listening line (bounded). */
export async function startServe(configPath: string, port: number, extraArgs: string[] = [], timeoutMs = 30_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'heygem-gateway.js'), 'serve', '--config', configPath, ...extraArgs], {
    cwd: ROOT,
    env: { ...process.env, HEYGEM_GATEWAY_CONFIG: '', PORT: '', HOST: '', DATA_DIR: '', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      if (out.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`serve exited before listening:\n${out}`));
    });
  });
  return { child, url: `http://127.0.0.1:${port}`, output: () => out, exited };
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
