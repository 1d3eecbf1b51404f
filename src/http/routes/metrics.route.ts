/**
 * GET /metrics — Prometheus text exposition, plus the HTTP request metrics hook (route
 * *patterns* as labels, never raw URLs, so task ids cannot explode the label set).
 */
import type { FastifyInstance } from 'fastify';
import type { GatewayMetrics } from '../../telemetry/metrics.js';
import { access } from '../security.js';

export function registerMetrics(app: FastifyInstance, metrics: GatewayMetrics): void {
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    metrics.httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { config: access('admin'), schema: { tags: ['system'], summary: 'Prometheus metrics (admin scope when auth is on)' } }, async (_req, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
