/**
 * For the scheduling benchmark: serve a gateway's runner API on loopback and put every GPU
 * behind its own remote runner (in-process RunnerNodes talking HTTP to it), so the same
 * measurement compares local slots with remote runners.
 */
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config/load.js';
import type { Gateway } from '../../src/gateway.js';
import { buildApp } from '../../src/http/app.js';
import { startRunnerNode, type RunnerNode } from '../../src/runners/runner-node.js';
import { openApiKeys } from '../../src/security/api-keys.js';

export async function startRemoteRunners(gw: Gateway, base: string, slots: Array<Record<string, unknown> & { id: number }>, settings: Record<string, unknown>): Promise<{ close(): Promise<void> }> {
  const app = await buildApp(gw);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const keys = await openApiKeys({ dataDir: gw.paths.root, store: { driver: 'sqlite' } });
  const nodes: RunnerNode[] = [];
  try {
    for (const slot of slots) {
      const { token } = await keys.create(`bench-${slot.id}`, ['runner']);
      const config = loadConfig({ env: {} as NodeJS.ProcessEnv, inline: { dataDir: join(base, `runner-${slot.id}`), ...settings, slots: [slot] } });
      nodes.push(await startRunnerNode({ config, server: url, token, log: pino({ level: 'silent' }) }));
    }
  } finally {
    await keys.close();
  }
  return {
    async close() {
      await Promise.all(nodes.map((n) => n.close(0)));
      await app.close();
    },
  };
}
