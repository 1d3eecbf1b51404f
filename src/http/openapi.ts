/**
 * The OpenAPI document (served at /docs) is generated from the route schemas — one source of
 * truth. This module adds what a route schema cannot say by itself, for documentation only
 * (it never changes validation or serialization):
 * - the security of each route, from the same `access` declaration the auth hook enforces
 *   (bearer key; `?access_token=` on the routes that accept it), and their 401/403 answers;
 * - request bodies a handler reads itself (`schema.docsBody`, e.g. multipart uploads);
 * - the answers of routes that stream or send non-JSON (files, SSE, metrics);
 * - a description on every response, and the generic 400/500 answers.
 * docs/api.md explains the conventions.
 */
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';
import { errorBodySchema } from './errors.js';
import { API_VERSION } from '../domain/version.js';
import type { RouteAccess } from './security.js';

type Json = Record<string, unknown>;

const binary = (types: string[], description: string): Json => ({
  description,
  content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
});
const openObject = (description: string): Json => ({ type: 'object', description, additionalProperties: true });
const error = (description: string): Json => ({ ...errorBodySchema, description });

/**
 * Answers of routes whose handlers send files, streams or text (their schemas cannot declare
 * them without changing how they are sent), keyed by "METHOD /pattern".
 */
const EXTRA_RESPONSES: Record<string, Record<string, Json>> = {
  'GET /api/download/:id': {
    200: binary(['video/mp4', 'video/webm'], 'The finished video as an attachment (MP4, or WebM for output format webm)'),
    206: binary(['video/mp4', 'video/webm'], 'A byte range of it (Range request)'),
    404: error('Unknown task (or another key\u2019s)'),
    409: error('The task has not completed'),
    416: error('Range not satisfiable'),
  },
  'GET /outputs/:file': {
    200: binary(['video/mp4', 'video/webm', 'audio/wav'], 'A finished video (<id>.mp4 or <id>.webm) or its speech (<id>.wav), inline'),
    206: binary(['video/mp4', 'video/webm', 'audio/wav'], 'A byte range of it (Range request)'),
    404: error('No such file, or not ready'),
    416: error('Range not satisfiable'),
  },
  'GET /api/avatars/:id/poster.jpg': { 200: binary(['image/jpeg'], 'The avatar\u2019s poster frame') },
  'GET /api/avatars/:id/preview.webp': { 200: binary(['image/webp'], 'A short silent animated preview') },
  'GET /api/speech-preview/:file': {
    200: binary(['audio/wav'], 'A speech preview (<key>.wav from POST /api/speech-preview)'),
    206: binary(['audio/wav'], 'A byte range of it (Range request)'),
    404: error('No such preview, or it left the cache (ask POST /api/speech-preview again)'),
    416: error('Range not satisfiable'),
  },
  'GET /api/tasks/:id/stream.m3u8': {
    200: { description: 'HLS playlist (EVENT); segment URIs relative, carrying the request\u2019s `access_token`', content: { 'application/vnd.apple.mpegurl': { schema: { type: 'string' } } } },
  },
  'GET /api/tasks/:id/stream/:file': { 200: binary(['video/mp2t'], 'One part of the task as MPEG-TS (video copied, speech as AAC), timestamps where it starts in the script') },
  'POST /api/caption-styles/preview': { 200: binary(['image/png'], 'One frame of the face video with a sample caption in the style') },
  'GET /api/voices/:id/sample.wav': { 200: binary(['audio/wav'], 'A few seconds of the voice') },
  'GET /api/batches/:id/results.zip': {
    200: binary(['application/zip'], 'Every finished video of the batch (`<row>-<name>.mp4` and its `.vtt` captions) and a `manifest.csv`, streamed as one ZIP'),
    404: error('Unknown batch (or another key\u2019s)'),
  },
  'GET /api/tasks/results.zip': {
    200: binary(['application/zip'], 'The finished videos asked for (`<title>-<date>.mp4` and its `.vtt` captions) and a `manifest.csv`, streamed as one ZIP'),
  },
  'GET /api/events': {
    200: { description: 'Server-sent events: one `task` event per task change', content: { 'text/event-stream': { schema: { type: 'string' } } } },
  },
  'GET /metrics': {
    200: { description: 'Prometheus text exposition', content: { 'text/plain': { schema: { type: 'string' } } } },
  },
  'GET /api/stats': {
    200: openObject('Throughput, outcomes, phase-time percentiles and slot utilization per bucket'),
  },
  'GET /api/runners/v1/jobs/:id/inputs/:name': {
    200: binary(['application/octet-stream'], 'The input file (only for a job the runner holds a live lease for)'),
    404: error('No such task or input'),
    410: error('lease_lost: the attempt is no longer this runner\u2019s'),
  },
  'GET /api/health/live': {
    200: openObject('The process is up'),
  },
  'GET /api/health/ready': {
    200: openObject('Ready: store reachable, disk OK, at least one slot healthy'),
    503: openObject('Not ready, with the reasons'),
  },
};

const DEFAULT_DESCRIPTIONS: Record<string, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No content',
  400: 'Invalid request',
  401: 'No or invalid API key',
  403: 'The key lacks the scope this route needs',
  404: 'Not found',
  409: 'Conflict with the task\u2019s state',
  413: 'Too large',
  429: 'Rate limit or quota reached',
  500: 'Internal error (logged with the request id)',
  503: 'Unavailable',
  507: 'Not enough free disk space',
};

const methodOf = (m: string | string[]): string => (Array.isArray(m) ? m[0] : m);

/** The documented form of one route; pure, so tests can call it directly. */
export function documentRoute(schema: FastifySchema | undefined, url: string, method: string, access: RouteAccess | undefined): FastifySchema {
  const s: Json = { ...(schema ?? {}) };
  if (s.hide) return s as FastifySchema;
  if (s.docsBody) s.body = s.docsBody;
  delete s.docsBody;
  const responses: Record<string, Json> = { ...EXTRA_RESPONSES[`${method} ${url}`] };
  for (const [code, r] of Object.entries((s.response ?? {}) as Record<string, Json>)) responses[code] = r;
  if ((s.params || s.querystring || s.body) && !responses[400]) responses[400] = error(DEFAULT_DESCRIPTIONS[400]);
  const scope = access?.scope ?? 'public';
  if (scope !== 'public' && scope !== 'runner') {
    // Swagger UI sends `Authorization: Bearer …`; routes a browser loads without headers also
    // take the key as `?access_token=` (two alternatives: either one is enough).
    s.security = access?.tokenInQuery ? [{ bearerAuth: [] }, { accessToken: [] }] : [{ bearerAuth: [] }];
    s.description = `${s.description ? `${String(s.description)}\n\n` : ''}Needs an API key with the \`${scope}\` scope when auth is on.`;
    responses[401] ??= error(DEFAULT_DESCRIPTIONS[401]);
    responses[403] ??= error(DEFAULT_DESCRIPTIONS[403]);
  } else if (scope === 'runner') {
    // Remote runners: their own tokens, never API keys (docs/runners.md).
    s.security = [{ runnerToken: [] }];
    responses[401] ??= error('No, invalid or revoked runner token');
    responses[403] ??= error('Not a runner token');
  } else {
    s.security = [];
  }
  responses[500] ??= error(DEFAULT_DESCRIPTIONS[500]);
  for (const [code, r] of Object.entries(responses)) {
    if (!r.description) responses[code] = { ...r, description: DEFAULT_DESCRIPTIONS[code] ?? `HTTP ${code}` };
  }
  s.response = responses;
  return s as FastifySchema;
}

export function swaggerOptions(): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      info: {
        title: 'heygem-gateway',
        version: API_VERSION,
        description:
          'Text (+ face video) → lip-synced talking-head MP4, on HeyGem GPU containers. Compatible with the replaced Flask app\u2019s clients (see docs/compatibility.md).',
      },
      tags: [
        { name: 'tasks', description: 'Create and follow tasks' },
        { name: 'files', description: 'Finished videos and speech' },
        { name: 'farm', description: 'GPU slots and the queue' },
        { name: 'text', description: 'Speech normalization' },
        { name: 'system', description: 'Service information' },
        { name: 'library', description: 'Avatars and voices, registered once and used by id' },
        { name: 'output', description: 'Output images and caption styles (docs/output.md)' },
        { name: 'templates', description: 'Scripts with {{variables}}, versioned, rendered one by one or by batch (docs/templates.md)' },
        { name: 'usage', description: 'Video and GPU seconds per API key, monthly budgets (docs/templates.md)' },
        { name: 'runners', description: 'Remote runner protocol v1 (docs/runners.md): runner tokens only' },
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key (`heygem-gateway keys create`), sent as `Authorization: Bearer <key>`. Ignored when auth is off.' },
          runnerToken: { type: 'http', scheme: 'bearer', description: 'A runner token (`heygem-gateway runners create`): only the /api/runners/v1 routes accept it.' },
          accessToken: { type: 'apiKey', in: 'query', name: 'access_token', description: 'The same key as a query parameter, on the routes a browser loads without headers (events, downloads, outputs).' },
        },
      },
    },
    transform: ({ schema, url, route }) => ({ schema: documentRoute(schema, url, methodOf(route.method), route.config?.access), url }),
  };
}
