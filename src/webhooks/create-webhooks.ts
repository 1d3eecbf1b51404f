/**
 * Builds the webhook service from the `webhooks` config section: its store next to the task
 * store (the SQLite file of a single node, or the shared PostgreSQL database and pool of
 * several nodes), the target policy (allowedHosts), the deployment secret (config or env).
 */
import type { GatewayConfig } from '../config/load.js';
import type { Task } from '../domain/task.js';
import { presentStatus } from '../domain/presenters.js';
import type { PublisherFactoryDeps } from '../publish/create-publisher.js';
import type { WebhookStore } from './outbox-store.js';
import { SqliteWebhookStore } from './outbox-store.sqlite.js';
import { TargetPolicy, type Resolver } from './ssrf.js';
import { Webhooks } from './webhooks.service.js';

/** What the publisher's factory gets (clock, log, env, database, node), plus: */
export type WebhooksFactoryDeps = Omit<PublisherFactoryDeps, 'tasks' | 'store' | 'random'> & {
  tasks: { get(id: string): Promise<Task | undefined> };
  /** Replace DNS (tests: a name that resolves to loopback). */
  resolver?: Resolver;
  store?: WebhookStore;
};

export async function createWebhooks(config: GatewayConfig, d: WebhooksFactoryDeps): Promise<Webhooks> {
  const w = config.webhooks;
  const envSecret = d.env.HEYGEM_WEBHOOKS_SECRET?.trim();
  return new Webhooks({
    store: d.store ?? (await openWebhookStore(config, d)),
    tasks: d.tasks,
    policy: {
      secret: w.secret ?? (envSecret && envSecret.length >= 16 ? envSecret : null),
      previousSecret: w.previousSecret ?? null,
      timeoutMs: w.timeoutMs,
      concurrency: w.concurrency,
      perEndpointConcurrency: w.perEndpointConcurrency,
      retryBaseDelayMs: w.retryBaseDelayMs,
      retryMaxDelayMs: w.retryMaxDelayMs,
      maxAgeMs: w.maxAgeMs,
      pollIntervalMs: w.pollIntervalMs,
    },
    targets: new TargetPolicy(w.allowedHosts, d.resolver),
    clock: d.clock,
    log: d.log.child({ component: 'webhooks' }),
    holder: d.nodeId,
    present: (task, now) => presentStatus(task, null, now),
  });
}

async function openWebhookStore(config: GatewayConfig, d: WebhooksFactoryDeps): Promise<WebhookStore> {
  if (config.store.driver !== 'postgres') return new SqliteWebhookStore(d.databasePath);
  const { PostgresWebhookStore } = await import('./outbox-store.postgres.js');
  if (d.pgPool) return PostgresWebhookStore.open({ pool: d.pgPool });
  if (!config.store.url) throw new Error('store.url is required with store.driver: postgres');
  return PostgresWebhookStore.open({ url: config.store.url, log: d.log, applicationName: `heygem:${d.nodeId}:webhooks` });
}
