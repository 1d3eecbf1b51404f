/**
 * `runner --server URL --token T --config slots.yaml`: drive this host's slots for a remote
 * gateway over HTTP(S) only (docs/runners.md). The token may also come from HEYGEM_RUNNER_TOKEN
 * (better than argv, which other local users can see); it is never printed in full.
 */
import { loadConfig } from '../config/load.js';
import { createLogger } from '../logger.js';
import { maskToken } from '../runners/runner-api.client.js';
import { startRunnerNode } from '../runners/runner-node.js';

export interface RunnerOptions {
  server: string;
  token: string;
  config?: string;
  graceMs?: number;
  pollWaitMs?: number;
}

export async function runner(o: RunnerOptions): Promise<void> {
  const config = loadConfig({ path: o.config });
  const log = createLogger(config.logLevel);
  const node = await startRunnerNode({ config, server: o.server, token: o.token, log, pollWaitMs: o.pollWaitMs });
  process.stdout.write(`heygem-gateway runner: ${node.nodeId} working for ${o.server} with ${node.scheduler.runners.length} slots (token ${maskToken(o.token)}, data: ${config.dataDir})\n`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'runner shutting down');
    const grace = o.graceMs ?? config.server.shutdownGraceMs;
    const timer = setTimeout(() => process.exit(1), grace + 15_000).unref();
    try {
      await node.close(grace);
      process.exitCode = 0;
    } catch (err) {
      log.error({ err }, 'runner shutdown failed');
      process.exitCode = 1;
    } finally {
      clearTimeout(timer);
      process.exit();
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
