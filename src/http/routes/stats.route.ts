/**
 * GET /api/stats?from&to&bucket — analytics from the persisted history. Scoped like task
 * lists (http/access.ts): a non-admin key sees the stats of its own tasks only; an admin key,
 * or any caller with auth off, sees all.
 */
import type { FastifyInstance } from 'fastify';
import { loadStatRows } from '../../analytics/stat-rows.js';
import { computeStats, parseBucket } from '../../analytics/stats.js';
import type { Gateway } from '../../gateway.js';
import { ownerFilter } from '../access.js';
import { ApiError } from '../errors.js';
import { access } from '../security.js';

const MAX_BUCKETS = 2000;

export function registerStatsRoute(app: FastifyInstance, gw: Gateway): void {
  app.get<{ Querystring: { from?: string; to?: string; bucket?: string } }>(
    '/api/stats',
    { config: access('read'),
      schema: {
        tags: ['system'],
        summary: 'Throughput, outcomes, phase-time percentiles and slot utilization over a window (default: last 24 h, 1 h buckets)',
        querystring: {
          type: 'object',
          properties: { from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' }, bucket: { type: 'string', pattern: '^\\d{1,4}[smhd]$' } },
          additionalProperties: false,
        },
      },
    },
    async (req) => {
      const now = gw.clock.now();
      const to = req.query.to ? Date.parse(req.query.to) : now;
      const from = req.query.from ? Date.parse(req.query.from) : to - 24 * 3_600_000;
      const bucketMs = parseBucket(req.query.bucket);
      if (!(to > from)) throw new ApiError(400, 'input_invalid', '`from` must be before `to`');
      if (!bucketMs || (to - from) / bucketMs > MAX_BUCKETS) throw new ApiError(400, 'input_invalid', `Choose a bucket that gives at most ${MAX_BUCKETS} buckets`);
      const owner = ownerFilter(req);
      const rows = await loadStatRows(gw.store, from, to, owner);
      return { scope: owner === undefined ? 'all' : 'own', ...computeStats(rows, { from, to, bucketMs, now, slots: gw.scheduler.runners.map((r) => r.id) }) };
    },
  );
}
