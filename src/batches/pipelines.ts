/**
 * What callers' pipelines need besides single submits, wired once (gateway.ts): batches, the
 * Idempotency-Key store, and admission (queue limit + Retry-After). docs/batches.md.
 */
import type { GatewayConfig } from '../config/load.js';
import { Idempotency } from './idempotency.js';
import { Admission } from '../runner/admission.js';
import { BatchService, type BatchServiceDeps } from './batch-service.js';
import { openBatchStore } from './open-batch-store.js';

export interface Pipelines {
  batches: BatchService;
  idempotency: Idempotency;
  admission: Admission;
  close(): void;
}

export function createPipelines(config: GatewayConfig, deps: Omit<BatchServiceDeps, 'batches'>): Pipelines {
  const store = openBatchStore(deps.tasks);
  const batches = new BatchService({ ...deps, batches: store });
  const idempotency = new Idempotency(store, deps.clock, config.idempotency);
  idempotency.start();
  const admission = new Admission(deps.tasks, store, deps.clock, { maxQueued: config.limits.maxQueued, drainWindowMs: config.limits.drainWindowMs });
  return {
    batches,
    idempotency,
    admission,
    close() {
      idempotency.stop();
      batches.close();
    },
  };
}
