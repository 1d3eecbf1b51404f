/**
 * Per-runner Prometheus metrics (docs/runners.md, docs/observability.md), in the gateway's
 * registry: jobs accepted / completed / failed by each runner, and how long ago each runner was
 * last heard from (its slot reports and job calls), read from the shared slot registry so it
 * survives a gateway restart.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Clock } from '../tasks/clock.js';
import type { TaskStore } from '../store/task-store.js';
import { isRemoteHolder, RUNNER_HOLDER_PREFIX } from '../domain/holder.js';

const P = 'heygem_gateway_';

export class RunnerMetrics {
  readonly jobs: Counter<'runner' | 'outcome'>;

  constructor(registry: Registry, store: TaskStore, clock: Clock, lastCall: () => ReadonlyMap<string, number>) {
    this.jobs = new Counter({ name: `${P}runner_jobs_total`, help: 'Jobs of remote runners by outcome (accepted, completed, failed)', labelNames: ['runner', 'outcome'], registers: [registry] });
    new Gauge({
      name: `${P}runner_last_seen_age_seconds`,
      help: 'Seconds since a remote runner last reported (slot heartbeat or job call)',
      labelNames: ['runner'],
      registers: [registry],
      async collect() {
        this.reset();
        const now = clock.now();
        const seen = new Map<string, number>();
        for (const row of await store.listSlots()) if (isRemoteHolder(row.nodeId)) seen.set(row.nodeId, Math.max(seen.get(row.nodeId) ?? 0, row.heartbeatAt));
        for (const [node, at] of lastCall()) seen.set(node, Math.max(seen.get(node) ?? 0, at));
        for (const [node, at] of seen) this.set({ runner: node.slice(RUNNER_HOLDER_PREFIX.length) }, Math.max(0, (now - at) / 1000));
      },
    });
  }
}
