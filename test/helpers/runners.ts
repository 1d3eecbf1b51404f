/**
 * Remote-runner test rig: a gateway (`serve`, no local slots) and runner processes (`runner`),
 * all real CLI processes on loopback, each runner driving its own protocol fakes that live in
 * the test process (so a kill -9 of a runner leaves its containers — and their jobs — alive).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FarmSlot } from '../../src/simulate/simulate.js';
import { openApiKeys } from '../../src/security/api-keys.js';
import { FAST_HEYGEM } from './gateway.js';
import { startCli, startServe, writeConfig, type CliProcess, type ServeProcess } from './process.js';

export type RunnerProcess = CliProcess;

/** Lease terms small enough that a dead runner's attempt is reaped within seconds. */
export function gatewayConfig(dir: string, port: number, scheduler: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): string {
  mkdirSync(dir, { recursive: true });
  return writeConfig(dir, {
    server: { host: '127.0.0.1', port },
    dataDir: join(dir, 'data'),
    engine: 'heygem',
    slots: [],
    heygem: FAST_HEYGEM,
    scheduler: { retryBaseDelayMs: 20, leaseMs: 4000, heartbeatMs: 400, reapIntervalMs: 300, ...scheduler },
    ...extra,
  });
}

export async function startGateway(configPath: string, port: number): Promise<ServeProcess> {
  return startServe(configPath, port, [], 60_000);
}

/** A runner token created directly in the gateway's database (what `runners create` does). */
export async function runnerToken(gatewayDataDir: string, name: string): Promise<string> {
  const keys = await openApiKeys({ dataDir: gatewayDataDir, store: { driver: 'sqlite' } });
  try {
    return (await keys.create(name, ['runner'])).token;
  } finally {
    await keys.close();
  }
}

export function runnerConfig(dir: string, slots: FarmSlot[]): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'runner.json');
  writeFileSync(
    path,
    JSON.stringify({
      dataDir: join(dir, 'data'),
      engine: 'heygem',
      slots: slots.map((s) => ({ id: s.id, video: { url: s.video.url, dataDir: s.videoDataDir }, tts: { url: s.tts.url, dataDir: s.ttsDataDir } })),
      heygem: FAST_HEYGEM,
      scheduler: { healthProbeIntervalMs: 200 },
      media: { niceness: 0 },
    }),
  );
  return path;
}

/** Start `runner` and resolve once it says it works for the gateway (bounded). */
export async function startRunner(server: string, token: string, configPath: string, extraArgs: string[] = [], timeoutMs = 60_000): Promise<RunnerProcess> {
  return startCli(['runner', '--server', server, '--config', configPath, '--poll-ms', '2000', ...extraArgs], {
    label: 'runner',
    readyText: 'working for',
    timeoutMs,
    env: { HEYGEM_RUNNER_TOKEN: token },
  });
}

/** Stop a child for good and wait for it (SIGKILL when `hard`). */
export async function stopProcess(p: { child: ChildProcess; exited: Promise<unknown> }, hard = false): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(hard ? 'SIGKILL' : 'SIGTERM');
  await p.exited;
}
