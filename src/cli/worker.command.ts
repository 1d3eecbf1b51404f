/**
 * `worker`: drive this host's slots from a shared (PostgreSQL) store without serving HTTP. Run one
 * per GPU host; run `serve` (optionally with `scheduler.enabled: false`) where clients connect.
 * Uploads and outputs must live on storage every process sees (e.g. an NFS dataDir).
 */
import { loadConfig } from '../config/load.js';
import { createGateway } from '../gateway.js';

export async function worker(opts: { config?: string; graceMs?: number }): Promise<void> {
  const config = loadConfig({ path: opts.config });
  if (config.store.driver !== 'postgres') throw new Error('worker needs a shared store: set store.driver: postgres and store.url (with SQLite, `serve` already runs the slots)');
  const gw = await createGateway(config);
  process.stdout.write(`heygem-gateway worker: node ${gw.nodeId}, ${gw.scheduler.runners.length} slots on PostgreSQL\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await gw.close(opts.graceMs ?? 10_000);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}
