/** Back-pressure gauges on the gateway's registry (names in docs/operations.md, "Back-pressure"). */
import { Gauge, type Registry } from 'prom-client';
import type { Admission } from '../runner/admission.js';

export function registerBackPressureMetrics(registry: Registry, admission: Admission): void {
  new Gauge({
    name: 'heygem_gateway_queue_limit',
    help: 'limits.maxQueued: most tasks the queue accepts (0 = no limit)',
    registers: [registry],
    collect() {
      this.set(admission.limit);
    },
  });
  new Gauge({
    name: 'heygem_gateway_queue_drain_per_second',
    help: 'Tasks taken from the queue per second over limits.drainWindowMs, all nodes (what Retry-After is computed from)',
    registers: [registry],
    async collect() {
      this.set(await admission.drainPerSecond());
    },
  });
}
