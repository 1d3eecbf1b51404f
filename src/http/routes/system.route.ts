/**
 * Service-level routes: GET /api/info, GET /api/health, POST /api/normalize.
 */
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../gateway.js';
import { normalizeForSpeech } from '../../text/index.js';
import { ApiError } from '../errors.js';
import { VIDEO_EXTENSIONS } from './generate.route.js';

const VERSION = '0.1.0';

export function registerSystemRoutes(app: FastifyInstance, gw: Gateway): void {
  app.get('/api/info', { schema: { tags: ['system'], summary: 'Service facts and limits' } }, async () => ({
    name: 'heygem-gateway',
    version: VERSION,
    engine: gw.config.engine,
    slots: gw.scheduler.runners.length,
    pipelining: gw.config.scheduler.pipelining,
    limits: {
      max_text_chars: gw.config.limits.maxTextChars,
      max_upload_bytes: gw.config.limits.maxUploadBytes,
      max_video_seconds: gw.config.limits.maxVideoSeconds,
      video_formats: VIDEO_EXTENSIONS.map((e) => e.slice(1)),
    },
    preview_notice:
      gw.config.engine === 'preview' ? 'Preview engine: espeak-ng speech over the looped face video. No lip-sync, no voice cloning.' : null,
    started_at: new Date(gw.startedAt).toISOString(),
    uptime_seconds: Math.round((gw.clock.now() - gw.startedAt) / 1000),
  }));

  app.get('/api/health', { schema: { tags: ['system'], summary: 'Liveness and slot health' } }, async (_req, reply) => {
    const slots = gw.scheduler.runners.map((r) => ({ id: r.id, healthy: r.healthy, busy: r.busy }));
    const healthy = slots.filter((s) => s.healthy).length;
    const status = healthy === slots.length ? 'healthy' : healthy > 0 ? 'degraded' : 'unhealthy';
    return reply.code(healthy > 0 ? 200 : 503).send({
      status,
      slots,
      healthy_slots: healthy,
      queue_size: await gw.store.queueSize(),
      timestamp: new Date(gw.clock.now()).toISOString(),
    });
  });

  app.post<{ Body: { text: string } }>(
    '/api/normalize',
    {
      // any text that generate accepts: the configured limit, up to 4 bytes a character in JSON
      bodyLimit: Math.max(1024 * 1024, gw.config.limits.maxTextChars * 4 + 1024),
      schema: {
        tags: ['text'],
        summary: 'Preview what the voice will say',
        description: 'Each change is {start, end, original, spoken, class}: offsets into the original text and what the span was read as (year, code, url, money, …).',
        body: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
      },
    },
    async (req) => {
      if (req.body.text.length > gw.config.limits.maxTextChars) throw new ApiError(400, 'text_too_long', `Text is longer than ${gw.config.limits.maxTextChars} characters`);
      const r = normalizeForSpeech(req.body.text);
      return { normalized: r.text, changes: r.changes };
    },
  );
}
