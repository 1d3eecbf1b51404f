/**
 * /api/runners/v1/* — the remote-runner protocol (docs/runners.md). Authenticated with runner
 * tokens only (API keys with the sole `runner` scope, created by `heygem-gateway runners
 * create`); a runner token is refused everywhere else, and an API key is refused here. The
 * attempt's fence travels in two headers: `X-Job-Attempt` and `X-Job-Token`.
 */
import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TASK_STATES, type Fence, type TaskState } from '../../domain/task.js';
import type { Gateway } from '../../gateway.js';
import { alreadyCompleted, completeUpload, receiveUpload, UploadInvalid } from '../../runners/job-upload.js';
import { runnerHolder } from '../../domain/holder.js';
import { RUNNER_API } from '../../runners/api-path.js';
import { JobRefused, type RunnerIdentity, type RunnerService } from '../../runners/runner-service.js';
import { hasScope, openApiKeys } from '../../security/api-keys.js';
import { ApiError, errorBodySchema } from '../errors.js';
import { access, declareScope } from '../security.js';

export { RUNNER_API };
const ID = /^[0-9a-z]{26}$/;

declare module 'fastify' {
  interface FastifyRequest {
    runner: RunnerIdentity | null;
  }
}

const fenceHeaders = {
  type: 'object',
  properties: { 'x-job-attempt': { type: 'string', pattern: '^[0-9]{1,9}$' }, 'x-job-token': { type: 'string', minLength: 1, maxLength: 200 } },
  required: ['x-job-attempt', 'x-job-token'],
} as const;
const idParams = { type: 'object', properties: { id: { type: 'string', pattern: ID.source } }, required: ['id'] } as const;
const jobSchema = { type: 'object', additionalProperties: true, description: 'The task as the runner sees it (no gateway paths) plus `inputs`' } as const;
const okSchema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } as const;
const refusals = {
  401: { ...errorBodySchema, description: 'No or invalid runner token' },
  404: { ...errorBodySchema, description: 'No such task or input' },
  409: { ...errorBodySchema, description: 'state_conflict / slot_conflict / slot_not_registered' },
  410: { ...errorBodySchema, description: 'lease_lost: the attempt is no longer this runner\'s (reaped, canceled, superseded): stop and clean up' },
};

function fenceOf(req: FastifyRequest): Fence {
  const h = req.headers as Record<string, string>;
  return { attempt: Number(h['x-job-attempt']), token: h['x-job-token'] };
}

function refusal(err: unknown): never {
  if (err instanceof JobRefused) throw new ApiError(err.status, err.code, err.message);
  if (err instanceof UploadInvalid) throw new ApiError(422, err.code, err.message);
  throw err;
}

export async function registerRunnerRoutes(app: FastifyInstance, gw: Gateway): Promise<RunnerService> {
  const svc = gw.runners; // built in the composition root (gateway.ts)
  const keys = await openApiKeys({ dataDir: gw.paths.root, store: gw.config.store });
  app.addHook('onClose', async () => {
    svc.close(); // ends the long polls of waiting runners
    await keys.close();
  });
  app.decorateRequest('runner', null);

  await app.register(
    async (r) => {
      declareScope(r, 'runner'); // runner tokens, checked here and never API keys
      r.addHook('onRequest', async (req) => {
        const m = /^Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''));
        const key = m ? await keys.verify(m[1], gw.clock.now()) : null;
        if (!key || !hasScope(key, 'runner')) throw new ApiError(401, 'auth_invalid', 'A valid runner token is required (Authorization: Bearer <runner token>)', {}, { 'www-authenticate': 'Bearer' });
        req.runner = { nodeId: runnerHolder(key.name), name: key.name };
      });
      const who = (req: FastifyRequest) => req.runner!;
      const tags = ['runners'];
      const jobRoute = (summary: string, body?: Record<string, unknown>) => ({
        schema: { tags, summary, params: idParams, headers: fenceHeaders, ...(body ? { body } : {}), response: { 200: jobSchema, ...refusals } },
      });

      r.post(
        '/register',
        {
          schema: {
            tags,
            summary: 'Announce this runner and its slot ids; learn the lease terms',
            body: {
              type: 'object',
              properties: { slots: { type: 'array', items: { type: 'integer', minimum: 0, maximum: 1_000_000 }, maxItems: 64 }, host: { type: 'string', maxLength: 200 }, version: { type: 'string', maxLength: 50 } },
              required: ['slots'],
            },
            response: { 200: { type: 'object', additionalProperties: true }, ...refusals },
          },
        },
        async (req) => svc.register(who(req), req.body as { slots: number[]; host?: string; version?: string }).catch(refusal),
      );
      r.post(
        '/slots',
        {
          schema: {
            tags,
            summary: 'Report this runner\'s slots (health, busy, current task); also its liveness',
            body: { type: 'object', properties: { slots: { type: 'array', maxItems: 64, items: { type: 'object', properties: { slotId: { type: 'integer' }, info: { type: 'object', additionalProperties: true } }, required: ['slotId', 'info'] } } }, required: ['slots'] },
            response: { 200: okSchema },
          },
        },
        async (req) => {
          await svc.reportSlots(who(req), (req.body as { slots: Array<{ slotId: number; info: Record<string, unknown> }> }).slots);
          return { ok: true };
        },
      );
      r.post('/unregister', { schema: { tags, summary: 'Leave cleanly: the slots stop being listed', response: { 200: okSchema } } }, async (req) => {
        await svc.unregister(who(req));
        return { ok: true };
      });
      r.get('/jobs', { schema: { tags, summary: 'Jobs this runner holds under a live lease (after a runner restart)', response: { 200: { type: 'object', properties: { jobs: { type: 'array', items: jobSchema } } } } } }, async (req) => ({ jobs: await svc.held(who(req)) }));
      r.post(
        '/jobs/request',
        {
          schema: {
            tags,
            summary: 'Request and accept the next job for a free slot (long poll up to waitMs)',
            description: 'Atomic: the accepted job is a new attempt with its lease token; two runners never get the same attempt. `job: null` when nothing came within waitMs.',
            body: { type: 'object', properties: { slotId: { type: 'integer', minimum: 0 }, waitMs: { type: 'integer', minimum: 0, maximum: 30000 } }, required: ['slotId'] },
            response: { 200: { type: 'object', properties: { job: { anyOf: [jobSchema, { type: 'null' }] } } }, ...refusals },
          },
        },
        async (req) => {
          const body = req.body as { slotId: number; waitMs?: number };
          const gone = new AbortController();
          req.raw.once('close', () => gone.abort());
          return { job: await svc.request(who(req), body.slotId, body.waitMs ?? 0, gone.signal).catch(refusal) };
        },
      );
      r.post(
        '/jobs/:id/transition',
        jobRoute('Move the attempt one step forward (reserved, tts, rendering, collecting)', {
          type: 'object',
          properties: { from: { type: 'string', enum: [...TASK_STATES] }, to: { type: 'string', enum: [...TASK_STATES] }, patch: { type: 'object', additionalProperties: true } },
          required: ['from', 'to'],
        }),
        async (req) => {
          const b = req.body as { from: TaskState; to: TaskState; patch?: unknown };
          return svc.transition(who(req), (req.params as { id: string }).id, fenceOf(req), b.from, b.to, b.patch).catch(refusal);
        },
      );
      r.post('/jobs/:id/update', jobRoute('Progress of the attempt (engine progress, submitted flag, timings)', { type: 'object', properties: { patch: { type: 'object', additionalProperties: true } } }), async (req) => {
        await svc.update(who(req), (req.params as { id: string }).id, fenceOf(req), (req.body as { patch?: unknown }).patch).catch(refusal);
        return { ok: true };
      });
      r.post(
        '/jobs/:id/heartbeat',
        {
          schema: {
            tags,
            summary: 'Renew the lease; `lost` (with `canceled`) = stop and clean the container',
            params: idParams,
            headers: fenceHeaders,
            response: { 200: { type: 'object', properties: { result: { type: 'string', enum: ['ok', 'lost'] }, canceled: { type: 'boolean' } }, required: ['result', 'canceled'] } },
          },
        },
        async (req) => svc.heartbeat(who(req), (req.params as { id: string }).id, fenceOf(req)).catch(refusal),
      );
      r.post('/jobs/:id/reclaim', jobRoute('A restarted runner takes its own live attempt back (fresh lease token)'), async (req) => svc.reclaim(who(req), (req.params as { id: string }).id, fenceOf(req)).catch(refusal));
      r.post(
        '/jobs/:id/error',
        jobRoute('The attempt failed; retryable faults are queued again by the gateway\'s retry policy', {
          type: 'object',
          properties: { code: { type: 'string', maxLength: 40 }, message: { type: 'string', maxLength: 4000 }, retryable: { type: 'boolean' } },
          required: ['code'],
        }),
        async (req) => svc.error(who(req), (req.params as { id: string }).id, fenceOf(req), req.body as { code: string }).catch(refusal),
      );
      r.post('/jobs/:id/abort', jobRoute('Hand the job back (runner shutting down): queued again at once'), async (req) => svc.abort(who(req), (req.params as { id: string }).id, fenceOf(req)).catch(refusal));
      r.get(
        '/jobs/:id/segments',
        {
          schema: {
            tags,
            summary: 'For a segment of a long script this runner holds: its parent and siblings (speech lengths give the face offset, docs/segments.md)',
            params: idParams,
            headers: fenceHeaders,
            response: { 200: { type: 'object', additionalProperties: true }, ...refusals },
          },
        },
        async (req) => svc.segments(who(req), (req.params as { id: string }).id, fenceOf(req)).catch(refusal),
      );
      r.get(
        '/jobs/:id/inputs/:name',
        {
          schema: {
            tags,
            summary: 'Download an input of a job this runner holds (`video`: the face video, uploaded or the library avatar; `voice`: the library voice)',
            params: { type: 'object', properties: { id: { type: 'string', pattern: ID.source }, name: { type: 'string', enum: ['video', 'voice'] } }, required: ['id', 'name'] },
            headers: fenceHeaders,
          },
        },
        async (req, reply) => {
          const { id, name } = req.params as { id: string; name: string };
          const path = await svc.inputPath(who(req), id, fenceOf(req), name).catch(refusal);
          return reply.type('application/octet-stream').send(createReadStream(path));
        },
      );
      r.post(
        '/jobs/:id/success',
        {
          // a full disk refuses the result (507) before it is read: the runner keeps it and retries
          config: access('runner', { storesUpload: true }),
          schema: {
            tags,
            summary: 'Upload the result: multipart `video` (MP4), `speech` (WAV) and optional `patch` (JSON); verified before the task completes',
            params: idParams,
            headers: fenceHeaders,
            response: { 200: jobSchema, ...refusals, 413: { ...errorBodySchema, description: 'A file is larger than limits.maxResultBytes' }, 422: { ...errorBodySchema, description: 'upload_invalid: not a complete MP4 / WAV' } },
          },
        },
        async (req) => {
          const id = (req.params as { id: string }).id;
          const fence = fenceOf(req);
          const runner = who(req);
          if (await alreadyCompleted(gw, id, fence)) return svc.toWire((await gw.store.get(id))!);
          await svc.held1(runner, id, fence).catch(refusal); // refuse a late upload before reading it
          if (!req.isMultipart()) throw new ApiError(415, 'multipart_required', 'Send the result as multipart/form-data');
          const limits = { files: 2, fileSize: gw.config.limits.maxUploadBytes, fields: 2, fieldSize: 64 * 1024 };
          const { files, patch } = await receiveUpload(req.parts({ limits }), gw.paths.taskWork(id), fence.attempt, limits.fileSize);
          return completeUpload(gw, svc, runner, id, fence, files, patch).catch(refusal);
        },
      );
    },
    { prefix: RUNNER_API },
  );
  return svc;
}
