/**
 * For the scheduling benchmark: serve a gateway's runner API on loopback and put every GPU
 * behind its own remote runner — a separate `heygem-gateway runner` process talking HTTP to it,
 * as on real GPU hosts — so the same measurement compares local slots with remote runners.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Gateway } from '../../src/gateway.js';
import { buildApp } from '../../src/http/app.js';
import { openApiKeys } from '../../src/security/api-keys.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function startRunner(url: string, token: string, configPath: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'runner', '--server', url, '--config', configPath], {
    cwd: ROOT,
    env: { ...process.env, HEYGEM_RUNNER_TOKEN: token, LOG_LEVEL: 'error', HEYGEM_GATEWAY_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`runner did not start:\n${out}`)), 120_000);
    const onData = (c: Buffer) => {
      out += c;
      if (out.includes('working for')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (out += c));
    child.once('exit', () => reject(new Error(`runner exited:\n${out}`)));
  });
}

export async function startRemoteRunners(gw: Gateway, base: string, slots: Array<Record<string, unknown> & { id: number }>, settings: Record<string, unknown>): Promise<{ close(): Promise<void> }> {
  const app = await buildApp(gw);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const keys = await openApiKeys({ dataDir: gw.paths.root, store: { driver: 'sqlite' } });
  const children: ChildProcess[] = [];
  try {
    for (const slot of slots) {
      const { token } = await keys.create(`bench-${slot.id}`, ['runner']);
      const dir = join(base, `runner-${slot.id}`);
      mkdirSync(dir, { recursive: true });
      const config = join(dir, 'runner.json');
      writeFileSync(config, JSON.stringify({ dataDir: join(dir, 'data'), ...settings, slots: [slot], logLevel: 'error' }));
      children.push(await startRunner(url, token, config));
    }
  } finally {
    await keys.close();
  }
  return {
    async close() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((res) => {
              c.once('exit', () => res());
              c.kill('SIGTERM');
            }),
        ),
      );
      await app.close();
    },
  };
}
