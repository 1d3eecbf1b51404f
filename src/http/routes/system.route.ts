/**
 * Service-level routes: GET /api/info, GET /api/health (+ /live, /ready), POST /api/normalize.
 */
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../gateway.js';
import { normalizePreview } from '../../language/preview.js';
import { languageOf } from '../fields/language.js';
import { charCount } from '../../domain/chars.js';
import { ApiError } from '../errors.js';
import { API_VERSION } from '../../domain/version.js';
import { healthSchema, infoSchema, normalizeSchema } from '../schemas.js';
import { textBodyLimit, VIDEO_EXTENSIONS } from './generate.route.js';
import { registerHealthRoutes } from './health.route.js';
import { access } from '../security.js';

const VERSION = API_VERSION;
const SERVICE = 'heygem-gateway';

/** The replaced app's `endpoints` list in /api/info: the main routes, "METHOD /path". */
const ENDPOINTS = [
  'POST /api/generate',
  'GET /api/status/<task_id>',
  'GET /api/queue',
  'GET /api/download/<task_id>',
  'GET /outputs/<filename>',
  'GET /api/info',
  'GET /api/health',
  'GET /api/tasks',
  'GET /api/events',
  'GET /docs',
];

const HEALTH_RESPONSES = { 200: healthSchema, 503: { ...healthSchema, description: 'No slot is healthy' } };

/** The port clients reach: the bound one (port 0 in tests), else the configured one. */
function listenPort(app: FastifyInstance, configured: number): number {
  const a = app.server.address();
  return a && typeof a === 'object' ? a.port : configured;
}

export function registerSystemRoutes(app: FastifyInstance, gw: Gateway): void {
  app.get('/api/info', { config: access('public'), schema: { tags: ['system'], summary: 'Service facts and limits', response: { 200: infoSchema } } }, async () => ({
    node: gw.nodeId,
    service: SERVICE,
    name: SERVICE,
    version: VERSION,
    port: listenPort(app, gw.config.server.port),
    // Every GPU of the deployment (with PostgreSQL, other nodes' too).
    gpus: Object.fromEntries((await gw.cluster.slots()).map((s) => [String(s.slotId), { video_port: s.videoPort, tts_port: s.ttsPort }])),
    endpoints: ENDPOINTS,
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

  app.post<{ Body: { text: string; language?: string } }>(
    '/api/normalize',
    { config: access('read'),
      // any text that generate accepts: the same body limit as generate's (JSON may escape a character as up to 12 bytes)
      bodyLimit: textBodyLimit(gw.config.limits.maxTextChars),
      schema: {
        tags: ['text'],
        summary: 'Preview what the voice will say',
        description:
          'Each change is {start, end, original, spoken, class}: offsets into the original text and what the span was read as (year, code, url, money, …). ' +
          '`language` is the one the text is read in (detected unless named); `unsupported` lists characters the speech engine cannot speak — generate refuses them (422), or with text.unsupportedScripts: strip removes them (then listed in `changes` with class `unsupported_script`).',
        body: { type: 'object', properties: { text: { type: 'string' }, language: { type: 'string', maxLength: 20, description: 'auto (default), zh or en' } }, required: ['text'], additionalProperties: false },
        response: { 200: normalizeSchema },
      },
    },
    async (req) => {
      if (charCount(req.body.text) > gw.config.limits.maxTextChars) throw new ApiError(400, 'text_too_long', `Text is longer than ${gw.config.limits.maxTextChars} characters`);
      return normalizePreview(req.body.text, languageOf(req.body.language), gw.config.text.unsupportedScripts);
    },
  );
}
