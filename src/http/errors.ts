/**
 * API errors: a human `error` string (old clients print it) plus a stable machine `code`
 * (docs/compatibility.md). One handler maps everything to that shape; unknown faults become a logged
 * 500 with a request id — never a stack trace or an internal path.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError, type DomainErrorKind } from '../domain/errors.js';
import { isDiskFullError } from '../maintenance/disk-space.js';
import { isStoreUnavailable, storeUnavailable } from '../store/unavailable.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The one place a feature's refusal (a DomainError's kind) becomes an HTTP status. */
export const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unprocessable: 422,
  upstream_failed: 502,
  unavailable: 503,
  /** A key's monthly budget (docs/templates.md, "Budgets"). */
  over_budget: 429,
};

/** A feature's DomainError as the ApiError it answers: same code, message and body keys. */
export function apiErrorOf(err: DomainError): ApiError {
  const headers: Record<string, string> = err.retryAfterSeconds === undefined ? {} : { 'retry-after': String(err.retryAfterSeconds) };
  return new ApiError(STATUS_OF_KIND[err.kind], err.code, err.message, err.details, headers);
}

export const errorBodySchema = {
  type: 'object',
  properties: { error: { type: 'string' }, code: { type: 'string' }, request_id: { type: 'string' } },
  required: ['error', 'code'],
  additionalProperties: true,
} as const;

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((thrown: FastifyError | ApiError | DomainError, req, reply) => {
    // The database restarting or cut off: a fast 503 the client can retry, never a 500
    // (docs/operations.md, "When the database goes away"). Logged once per request at warn.
    const away = !(thrown instanceof DomainError) && !(thrown instanceof ApiError) && isStoreUnavailable(thrown);
    if (away) req.log.warn({ err: (thrown as Error).message }, 'store unavailable');
    const err = thrown instanceof DomainError ? apiErrorOf(thrown) : away ? apiErrorOf(storeUnavailable(thrown)) : thrown;
    if (err instanceof ApiError) {
      void reply.code(err.status).headers(err.headers).send({ error: err.message, code: err.code, ...err.extra });
      return;
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      void reply.code(400).send({ error: `Invalid request: ${fe.message}`, code: 'input_invalid' });
      return;
    }
    if (isDiskFullError(err)) {
      // A full disk ends this request, never the process (docs/operations.md, "Disk").
      req.log.error({ err }, 'write failed: disk full');
      void reply.code(507).send({ error: 'The server ran out of disk space while saving; try again when space has been freed', code: 'insufficient_storage', request_id: req.id });
      return;
    }
    const status = fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : 500;
    if (status < 500) {
      // a urlencoded or JSON body over the limit is not an upload: say which limit was hit
      const code =
        fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'body_too_large' : status === 413 ? 'upload_too_large' : status === 415 ? 'unsupported_media_type' : status === 404 ? 'not_found' : 'bad_request';
      void reply.code(status).send({ error: fe.message, code });
      return;
    }
    req.log.error({ err }, 'unhandled error');
    void reply.code(500).send({ error: 'Internal server error', code: 'internal', request_id: req.id });
  });
  const routes = collectRoutes(app);
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    const allowed = routes.allowed(path);
    if (allowed.length && !allowed.includes(req.method)) {
      void reply.code(405).header('allow', allowed.join(', ')).send({ error: `Method ${req.method} not allowed here`, code: 'method_not_allowed' });
      return;
    }
    void reply.code(404).send({ error: `No route for ${req.method} ${path.slice(0, 200)}`, code: 'route_not_found' });
  });
}

/**
 * Every registered route's path pattern, so an unknown *method* on a known path answers 405 with
 * an Allow header instead of a 404 (installed before the routes, so onRoute sees all of them).
 */
function collectRoutes(app: FastifyInstance): { allowed(path: string): string[] } {
  const table: Array<{ re: RegExp; methods: string[] }> = [];
  app.addHook('onRoute', (r) => {
    const pattern = r.url.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[^/]+/g, '[^/]+').replace(/\*/g, '.*');
    table.push({ re: new RegExp(`^${pattern}$`), methods: ([] as string[]).concat(r.method) });
  });
  return {
    allowed(path) {
      const out = new Set<string>();
      for (const t of table) if (t.re.test(path)) t.methods.forEach((m) => out.add(m));
      return [...out].sort();
    },
  };
}
