import { describe, expect, it } from 'vitest';
import { DiskSpaceGuard } from './disk-space.js';
import { HealthMonitor } from './health.js';

const disk = new DiskSpaceGuard('/', 0);
const store = { queueSize: async () => 0 };

describe('readiness of a node that drives no slot of its own', () => {
  it('follows the deployment: ready while another node or runner has a healthy, live slot', async () => {
    let others = [{ healthy: true, stale: false }];
    const api = new HealthMonitor({ store, disk, slots: () => [], deploymentSlots: async () => others, probeAll: async () => undefined });
    await api.settled();
    expect(await api.report()).toMatchObject({ ready: true, status: 'healthy', reasons: [] });
    others = [{ healthy: true, stale: true }, { healthy: false, stale: false }];
    const down = await api.report();
    expect(down).toMatchObject({ ready: false, status: 'unhealthy' });
    expect(down.reasons).toEqual(['no healthy slot in the deployment (this node drives none)']);
  });

  it('a node with slots of its own is judged on them alone', async () => {
    const own = new HealthMonitor({ store, disk, slots: () => [{ id: 0, healthy: false, busy: false }], deploymentSlots: async () => [{ healthy: true, stale: false }], probeAll: async () => undefined });
    await own.settled();
    expect(await own.report()).toMatchObject({ ready: false, reasons: ['slot 0 unhealthy', 'no healthy slot'] });
  });
});
