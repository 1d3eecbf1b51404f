/**
 * Service-level routes: GET /api/info, GET /api/health (+ /live, /ready), POST /api/normalize.
 */
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../gateway.js';
import { normalizeForSpeech } from '../../text/index.js';
import { ApiError } from '../errors.js';
import { VIDEO_EXTENSIONS } from './generate.route.js';
import { registerHealthRoutes } from './health.route.js';

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

  registerHealthRoutes(app, gw);

  app.post<{ Body: { text: string } }>(
    '/api/normalize',
    {
      schema: {
        tags: ['text'],
        summary: 'Preview what the voice will say',
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
