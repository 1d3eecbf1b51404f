/**
 * `serve`: load config, build the gateway and the HTTP app, listen, and shut down gracefully on
 * SIGTERM/SIGINT (stop accepting, let in-flight work finish or hand it back, close the DB).
 */
import { loadConfig } from '../config/load.js';
import { createGateway } from '../gateway.js';
import { buildApp } from '../http/app.js';

export interface ServeOptions {
  config?: string;
  graceMs?: number;
}

export async function serve(opts: ServeOptions): Promise<void> {
  const config = loadConfig({ path: opts.config });
  const gw = await createGateway(config);
  const app = await buildApp(gw);
  const address = await app.listen({ host: config.server.host, port: config.server.port });
  gw.log.info({ address, engine: config.engine, slots: gw.scheduler.runners.length, dataDir: config.dataDir, config: config.source }, 'heygem-gateway listening');
  process.stdout.write(`heygem-gateway listening on ${address} (engine: ${config.engine}, ${gw.scheduler.runners.length} slots, data: ${config.dataDir})\n`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    gw.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), (opts.graceMs ?? 10_000) + 5_000).unref();
    await app.close(); // stop accepting; open SSE streams end
    await gw.close(opts.graceMs ?? 10_000);
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
