/**
 * `serve`: load config, build the gateway and the HTTP app, listen, and shut down gracefully on
 * SIGTERM/SIGINT (stop accepting, let in-flight work finish or hand it back, close the DB).
 */
import { loadConfig } from '../config/load.js';
import { createGateway } from '../gateway.js';
import { buildApp } from '../http/app.js';
import { openApiKeys } from '../security/api-keys.js';
import { authStartupProblem } from '../security/auth-mode.js';

export interface ServeOptions {
  config?: string;
  /** Overrides server.shutdownGraceMs. */
  graceMs?: number;
}

/** Checked before anything starts: an authenticated server without keys is refused. */
async function assertAuthReady(config: ReturnType<typeof loadConfig>): Promise<void> {
  const keys = await openApiKeys(config);
  try {
    const problem = authStartupProblem(config, await keys.activeCount());
    if (problem) throw new Error(problem);
  } finally {
    await keys.close();
  }
}

export async function serve(opts: ServeOptions): Promise<void> {
  const config = loadConfig({ path: opts.config });
  const graceMs = opts.graceMs ?? config.server.shutdownGraceMs;
  await assertAuthReady(config);
  const gw = await createGateway(config);
  const app = await buildApp(gw);
  const address = await app.listen({ host: config.server.host, port: config.server.port });
  gw.log.info({ address, engine: config.engine, slots: gw.scheduler.runners.length, dataDir: config.dataDir, config: config.source }, 'heygem-gateway listening');
  process.stdout.write(`heygem-gateway listening on ${address} (engine: ${config.engine}, ${gw.scheduler.runners.length} slots, data: ${config.dataDir})\n`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    gw.log.info({ signal, graceMs }, 'shutting down');
    // A hung close must not keep the process alive forever (the tasks stay durable anyway).
    const timer = setTimeout(() => process.exit(1), graceMs + 5_000).unref();
    try {
      await app.close(); // stop accepting; open SSE streams end
      await gw.close(graceMs); // finish in-flight work within the grace, hand back the rest, close the DB
      gw.log.info('shutdown complete');
      process.exitCode = 0;
    } catch (err) {
      gw.log.error({ err }, 'shutdown failed');
      process.exitCode = 1;
    } finally {
      clearTimeout(timer);
      process.exit();
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
