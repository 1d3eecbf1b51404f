/**
 * Builds the Publisher from the `publish` config section: credentials (environment or the
 * credentials file, checked at start), one uploader per enabled target, the publication store
 * next to the task store (the SQLite file of a single node, or the shared PostgreSQL database
 * of several nodes: never a SQLite file in a data dir that several nodes may share), and a
 * logger that redacts secrets.
 */
import type pg from 'pg';
import type { GatewayConfig } from '../config/load.js';
import type { Task } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../tasks/clock.js';
import { loadCredentials, secretValues, type S3Credentials, type VimeoCredentials } from './credentials.js';
import type { PublicationStore } from './publication-store.js';
import { SqlitePublicationStore } from './publication-store.sqlite.js';
import { Publisher, type PublisherTarget } from './publisher.service.js';
import { REDACT_PATHS } from './redact.js';
import { VimeoUploader } from './vimeo.uploader.js';

export interface PublisherFactoryDeps {
  tasks: { get(id: string): Promise<Task | undefined> };
  clock: Clock;
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** The gateway's SQLite file (DataPaths.database), used with store.driver sqlite. */
  databasePath: string;
  /** The PostgreSQL task store's pool, shared instead of opening a second one (driver postgres). */
  pgPool?: pg.Pool;
  /** This node's name (config node.id or the host name): who holds an upload's claim. */
  nodeId: string;
  /** Replace the configured store (tests). */
  store?: PublicationStore;
  random?: () => number;
}

export async function createPublisher(config: GatewayConfig, d: PublisherFactoryDeps): Promise<Publisher> {
  const p = config.publish;
  const creds = loadCredentials(p.targets, d.env, p.credentialsFile);
  // The AWS SDK takes ~0.4 s to load: only when an S3 target is on.
  const { S3Uploader } = p.targets.some((t) => t.enabled && t.type === 's3') ? await import('./s3.uploader.js') : { S3Uploader: null };
  const targets: PublisherTarget[] = p.targets.map((t) => {
    const base = { id: t.id, name: t.name ?? t.id, type: t.type, enabled: t.enabled, default: t.default };
    const c = creds.get(t.id);
    if (!t.enabled || !c) return base;
    if (t.type === 'vimeo') {
      return {
        ...base,
        uploader: new VimeoUploader(
          { apiUrl: t.apiUrl, nameTemplate: t.nameTemplate, descriptionTemplate: t.descriptionTemplate, privacy: t.privacy, chunkBytes: t.chunkBytes, requestTimeoutMs: p.requestTimeoutMs },
          c as VimeoCredentials,
        ),
      };
    }
    return {
      ...base,
      uploader: new S3Uploader!(
        {
          bucket: t.bucket,
          prefix: t.prefix,
          keyTemplate: t.keyTemplate,
          region: t.region,
          endpoint: t.endpoint,
          forcePathStyle: t.forcePathStyle,
          publicBaseUrl: t.publicBaseUrl,
          presignExpiresSec: t.presignExpiresSec,
          partSizeBytes: t.partSizeBytes,
          requestTimeoutMs: p.requestTimeoutMs,
        },
        c as S3Credentials,
      ),
    };
  });
  return new Publisher({
    store: d.store ?? (await openPublicationStore(config, d)),
    tasks: d.tasks,
    targets,
    policy: { maxAttempts: p.maxAttempts, retryBaseDelayMs: p.retryBaseDelayMs, retryMaxDelayMs: p.retryMaxDelayMs, concurrency: p.concurrency },
    clock: d.clock,
    log: d.log.child({ component: 'publish' }, { redact: { paths: REDACT_PATHS, censor: '[redacted]' } }),
    secrets: secretValues(creds),
    random: d.random,
    holder: d.nodeId,
    // The task leases' length: a node that died mid-upload is replaced as soon as its tasks are.
    claimLeaseMs: config.scheduler.leaseMs,
  });
}

async function openPublicationStore(config: GatewayConfig, d: PublisherFactoryDeps): Promise<PublicationStore> {
  if (config.store.driver !== 'postgres') return new SqlitePublicationStore(d.databasePath);
  // Loaded only with PostgreSQL, as the task store's adapter is (src/store/open-store.ts).
  const { PostgresPublicationStore } = await import('./publication-store.postgres.js');
  if (d.pgPool) return PostgresPublicationStore.open({ pool: d.pgPool });
  if (!config.store.url) throw new Error('store.url is required with store.driver: postgres');
  return PostgresPublicationStore.open({ url: config.store.url, log: d.log, applicationName: `heygem:${d.nodeId}:publish` });
}
