/**
 * The Fastify application: plugins, error shape, routes. `buildApp` does no listening, so tests
 * use `app.inject()` without a socket and the CLI calls `listen`.
 */
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Gateway } from '../gateway.js';
import { installErrorHandler } from './errors.js';
import { swaggerOptions } from './openapi.js';
import { declareScope, installSecurity, rewriteRequestUrl } from './security.js';
import { registerBatchRoutes } from './routes/batches.route.js';
import { registerEventsRoute } from './routes/events.route.js';
import { registerMetrics } from './routes/metrics.route.js';
import { registerStatsRoute } from './routes/stats.route.js';
import { registerFileRoutes } from './routes/files.route.js';
import { registerCaptionRoutes } from './routes/captions.route.js';
import { registerStreamRoutes } from './routes/stream.route.js';
import { registerGenerateRoute, textBodyLimit } from './routes/generate.route.js';
import { registerQueueRoute } from './routes/queue.route.js';
import { registerRunnerRoutes } from './routes/runners.route.js';
import { registerStatusRoutes } from './routes/status.route.js';
import { registerTaskEditRoutes } from './routes/task-edit.route.js';
import { registerSystemRoutes } from './routes/system.route.js';
import { registerSlotRoutes } from './routes/slots.route.js';
import { registerWebhookRoutes } from './routes/webhooks.route.js';
import { registerUi } from './ui.js';
import { registerAvatarRoutes } from './routes/avatars.route.js';
import { registerVoiceRoutes } from './routes/voices.route.js';
import { registerSpeechPreviewRoutes } from './routes/speech-preview.route.js';
import { registerOutputRoutes } from './routes/output.route.js';
import { registerTemplateRoutes } from './routes/templates.route.js';
import { registerUsageRoutes } from './routes/usage.route.js';

/**
 * server.trustProxy → Fastify's option. A hop count becomes "trust the nearest n hops" (the
 * Express meaning); this Fastify version would otherwise read a number as "trust nothing".
 */
export function trustProxyOption(v: boolean | number | string | string[]): boolean | string | string[] | ((addr: string, hop: number) => boolean) {
  return typeof v === 'number' ? (_addr, hop) => hop < v : v;
}

export async function buildApp(gw: Gateway): Promise<FastifyInstance> {
  const srv = gw.config.server;
  // pino's own types and fastify's bundled logger types differ only nominally.
  const app: FastifyInstance = Fastify({
    // Behind a reverse proxy: req.ip is the real client for rate limits and auth (docs/operations.md).
    trustProxy: trustProxyOption(srv.trustProxy),
    // Slow or never-finished requests must not hold sockets forever (slowloris, stalled uploads).
    requestTimeout: srv.requestTimeoutMs,
    connectionTimeout: srv.connectionTimeoutMs,
    keepAliveTimeout: srv.keepAliveTimeoutMs,
    http: {
      headersTimeout: srv.headersTimeoutMs,
      requestTimeout: srv.requestTimeoutMs,
      // Node enforces the two timeouts above only on this tick.
      connectionsCheckingInterval: srv.timeoutCheckIntervalMs,
    },
    loggerInstance: gw.log.child({ component: 'http' }) as unknown as FastifyBaseLogger,
    // one line per request is noise at dashboard polling rates; errors are still logged
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // One normal form for every path before routing; ambiguous first segments are refused (http/request-path.ts).
    rewriteUrl: rewriteRequestUrl,
    // Ids are ours (validated); never trust a client-sent request id.
    genReqId: (() => {
      let n = 0;
      return () => `req-${(++n).toString(36)}`;
    })(),
  }) as unknown as FastifyInstance;
  installErrorHandler(app);
  await installSecurity(app, gw); // auth, CORS, security headers, work guards: before every route
  // OpenAPI generated from the route schemas (one source of truth), served at /docs;
  // openapi.ts adds security, non-JSON answers and upload bodies for the docs only.
  await app.register(swagger, swaggerOptions());
  await app.register(async (docs) => {
    declareScope(docs, 'public');
    await docs.register(swaggerUi, { routePrefix: '/docs' });
  });
  await app.register(multipart, {
    limits: {
      fileSize: gw.config.limits.maxUploadBytes,
      files: 1,
      fields: 8,
      fieldSize: gw.config.limits.maxTextChars * 4 + 16, // UTF-8: up to 4 bytes a character
      parts: 10,
      headerPairs: 100,
    },
    throwFileSizeLimit: false, // we check `truncated` and answer 413 ourselves, after cleanup
  });
  // The replaced app read `request.form`, so text-only clients (Python `requests` with
  // `data=`) send urlencoded bodies; /api/generate validates them like multipart.
  await app.register(formbody, { bodyLimit: textBodyLimit(gw.config.limits.maxTextChars) });
  // serve: false — only decorates reply.sendFile/download; file routes decide what is servable.
  await app.register(fastifyStatic, { root: gw.paths.outputs, serve: false, acceptRanges: true, cacheControl: false });
  registerGenerateRoute(app, gw);
  registerBatchRoutes(app, gw);
  registerStatusRoutes(app, gw);
  registerTaskEditRoutes(app, gw);
  registerQueueRoute(app, gw);
  registerFileRoutes(app, gw);
  registerCaptionRoutes(app, gw);
  registerStreamRoutes(app, gw);
  registerSystemRoutes(app, gw);
  registerSlotRoutes(app, gw);
  registerEventsRoute(app, gw);
  registerStatsRoute(app, gw);
  registerWebhookRoutes(app, gw);
  registerMetrics(app, gw.metrics);
  registerAvatarRoutes(app, gw);
  registerVoiceRoutes(app, gw);
  registerSpeechPreviewRoutes(app, gw);
  registerOutputRoutes(app, gw);
  registerTemplateRoutes(app, gw);
  registerUsageRoutes(app, gw);
  await registerRunnerRoutes(app, gw); // remote runners (docs/runners.md)
  await app.register(async (ui) => {
    declareScope(ui, 'public'); // the UI's files and fallback page
    await registerUi(ui);
  });
  return app;
}
