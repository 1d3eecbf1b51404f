/**
 * Health for people, load balancers and orchestrators (docs/operations.md, "Health"):
 * - GET /api/health/live — the process answers (200). For restart-on-failure checks.
 * - GET /api/health/ready — 200 when the store answers, the disk has room for new work and at
 *   least one slot is healthy; else 503 with the reasons. For routing traffic.
 * - GET /api/health — the replaced system's body (`status`, `service`, `timestamp`) plus
 *   details; `status` is `starting` until the first slot probe finished, then `healthy`,
 *   `degraded` or `unhealthy`. 200 for healthy/degraded, 503 for starting/unhealthy.
 */
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../gateway.js';
import { healthSchema, liveSchema, readySchema } from '../schemas.js';
import { access } from '../security.js';

const SERVICE = 'heygem-gateway';

export function registerHealthRoutes(app: FastifyInstance, gw: Gateway): void {
  app.get('/api/health/live', { config: access('public'), schema: { tags: ['system'], summary: 'Liveness: the process answers', response: { 200: liveSchema } } }, async () => ({
    status: 'live',
    service: SERVICE,
    uptime_seconds: Math.round((gw.clock.now() - gw.startedAt) / 1000),
    timestamp: new Date(gw.clock.now()).toISOString(),
  }));

  app.get('/api/health/ready', { config: access('public'), schema: { tags: ['system'], summary: 'Readiness: store, disk and at least one healthy slot', response: { 200: readySchema, 503: { ...readySchema, description: 'Not ready: see reasons' } } } }, async (_req, reply) => {
    const h = await gw.health.report();
    return reply.code(h.ready ? 200 : 503).send({
      status: h.ready ? 'ready' : 'not_ready',
      service: SERVICE,
      reasons: h.reasons,
      timestamp: new Date(gw.clock.now()).toISOString(),
    });
  });

  app.get('/api/health', { config: access('public'), schema: { tags: ['system'], summary: 'Health summary: slots, store, disk', response: { 200: healthSchema, 503: { ...healthSchema, description: 'Starting, or no slot healthy' } } } }, async (_req, reply) => {
    const [h, deployment] = await Promise.all([gw.health.report(), gw.cluster.slots().catch(() => [])]);
    const healthy = h.slots.filter((s) => s.state === 'healthy').length;
    return reply.code(h.status === 'healthy' || h.status === 'degraded' ? 200 : 503).send({
      status: h.status,
      service: SERVICE,
      timestamp: new Date(gw.clock.now()).toISOString(),
      ready: h.ready,
      reasons: h.reasons,
      slots: h.slots.map((s) => ({ id: s.id, healthy: s.state === 'healthy', state: s.state, busy: s.busy, degraded: s.degraded })),
      healthy_slots: healthy,
      // Every slot of the deployment with the node that drives it (several nodes on PostgreSQL).
      deployment: deployment.map((s) => ({
        id: s.slotId,
        node: s.nodeId,
        healthy: s.healthy && !s.stale,
        busy: s.busy,
        last_heartbeat: new Date(s.heartbeatAt).toISOString(),
        stale: s.stale,
      })),
      queue_size: h.store.queueSize ?? null,
      store: { ok: h.store.ok, ...(h.store.error ? { error: h.store.error } : {}) },
      disk: {
        ok: h.disk.ok,
        free_bytes: Number.isFinite(h.disk.freeBytes) ? Math.max(0, h.disk.freeBytes) : null,
        min_free_bytes: h.disk.minFreeBytes,
      },
    });
  });
}
