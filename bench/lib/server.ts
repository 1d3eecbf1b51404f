/** Start the gateway CLI as a child process (as users run it) and wait until it answers. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '../../test/helpers/process.js';

export interface ServerHandle {
  url: string;
  child: ChildProcess;
  startupMs: number;
  rssMb(): number;
  peakRssMb(): number;
  resetPeak(): void;
  stop(): Promise<void>;
}

const proc = (pid: number, key: string) => {
  try {
    const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
};

/** `nodeArgs`: options for the server's node (e.g. `--cpu-prof`, which NODE_OPTIONS refuses). */
export async function startServer(dataDir: string, config: Record<string, unknown>, port?: number, nodeArgs: string[] = []): Promise<ServerHandle> {
  port ??= await freePort();
  const file = join(dataDir, 'bench-config.yaml');
  writeFileSync(file, stringify({ dataDir, logLevel: 'warn', server: { host: '127.0.0.1', port }, ...config }));
  const t0 = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, 'bin/heygem-gateway.js', 'serve', '--config', file], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, HEYGEM_GATEWAY_CONFIG: '' } });
  const url = `http://127.0.0.1:${port}`;
  // Up to 2 minutes: a big database on a loaded machine starts slowly, and that time is measured.
  for (const deadline = Date.now() + 120_000; Date.now() < deadline && child.exitCode === null; ) {
    try {
      if ((await fetch(`${url}/api/health`)).status < 600) break;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  const startupMs = performance.now() - t0;
  return {
    url,
    child,
    startupMs,
    rssMb: () => proc(child.pid!, 'VmRSS'),
    peakRssMb: () => proc(child.pid!, 'VmHWM'),
    resetPeak: () => {
      try {
        writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
      } catch {
        /* older kernels: peak stays cumulative */
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(); // already gone
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
