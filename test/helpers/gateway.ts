/**
 * Start a gateway in-process on loopback with its own temp data dir (every test isolated),
 * with tiny intervals so fault tests run in seconds.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { loadConfig } from '../../src/config/load.js';
import { isFinal, type Task } from '../../src/domain/task.js';
import { createGateway, type Gateway, type GatewayOverrides } from '../../src/gateway.js';
import { buildApp } from '../../src/http/app.js';
import type { FastifyInstance } from 'fastify';

export interface TestGateway {
  gw: Gateway;
  app: FastifyInstance;
  url: string;
  dataDir: string;
  close(graceMs?: number): Promise<void>;
}

export const FAST_HEYGEM = {
  pollIntervalMs: 50,
  minPollIntervalMs: 20,
  requestTimeoutMs: 2000,
  ttsTimeoutMs: 5000,
  renderTimeoutMs: 20000,
  stallTimeoutMs: 10000,
  verifyTimeoutMs: 3000,
};

export async function startTestGateway(inline: Record<string, unknown> = {}, overrides: GatewayOverrides = {}, dataDir?: string): Promise<TestGateway> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'hg-gw-'));
  // Children at the runner's own priority: here the CPU competitors are other tests, not an API
  // to keep responsive, and a niced ffprobe on a loaded machine only slows the suite down.
  const config = loadConfig({ env: {} as NodeJS.ProcessEnv, inline: { dataDir: dir, media: { niceness: 0 }, ...inline } });
  const gw = await createGateway(config, { log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), ...overrides });
  const app = await buildApp(gw);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    gw,
    app,
    url: address,
    dataDir: dir,
    async close(graceMs = 0) {
      await app.close();
      await gw.close(graceMs);
    },
  };
}

import { waitFor } from './wait.js';

export { waitFor };

export async function submit(url: string, text: string, video?: { path: string; name?: string }): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  form.set('text', text);
  if (video) {
    const { readFile } = await import('node:fs/promises');
    form.set('video', new Blob([await readFile(video.path)], { type: 'video/mp4' }), video.name ?? 'face.mp4');
  }
  const res = await fetch(`${url}/api/generate`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function getStatus(url: string, id: string): Promise<Record<string, unknown>> {
  return (await (await fetch(`${url}/api/status/${id}`)).json()) as Record<string, unknown>;
}

export const FINAL = new Set(['completed', 'failed', 'timeout', 'canceled']);

export async function waitFinal(url: string, id: string, timeoutMs = 90_000): Promise<Record<string, unknown>> {
  return waitFor(async () => {
    const s = await getStatus(url, id);
    return FINAL.has(String(s.status)) ? s : undefined;
  }, timeoutMs);
}

/** The task row once it is final (read from the store, not over HTTP), bounded by `timeoutMs`. */
export function waitFinalInStore(gw: Gateway, id: string, timeoutMs = 240_000): Promise<Task> {
  return waitFor(async () => {
    const t = await gw.store.get(id);
    return t && isFinal(t.state) ? t : undefined;
  }, timeoutMs, 100);
}
