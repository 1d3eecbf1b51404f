/**
 * Task reads and actions: GET /api/status/:id (compatible), GET /api/tasks (history),
 * POST /api/tasks/:id/cancel, POST /api/tasks/:id/retry.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isTaskId } from '../../domain/ids.js';
import { TASK_STATES, isFinal, type Task, type TaskState } from '../../domain/task.js';
import type { Gateway } from '../../gateway.js';
import { canSee, ownerFilter } from '../access.js';
import { avatarFields } from './library-common.js';
import { withTemplateFields } from './templates.schemas.js';
import { ApiError, errorBodySchema } from '../errors.js';
import { BodyCache } from '../body-cache.js';
import { presentStatus, presentSummary } from '../../domain/presenters.js';
import { segmentStatusFields } from '../../segments/status.js';
import { withSegmentFields } from '../../segments/status.schema.js';
import { taskActionSchema, taskListSchema, taskStatusSchema, withLibraryFields } from '../schemas.js';
import { withEta } from '../eta.schemas.js';
import { access } from '../security.js';
import { estimateVideoSeconds } from '../../usage/usage.js';

const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] } as const;

const notFoundSchema = { ...errorBodySchema, description: 'Unknown task, or another API key\u2019s: `{"status": "not_found", "error", "code"}`' };
const errorDoc = (description: string) => ({ ...errorBodySchema, description });

/** Compatible "not found": the old server answered 200 {"status":"not_found"}; we answer 404. */
function notFound(id: string): ApiError {
  return new ApiError(404, 'task_not_found', `Task not found: ${id.slice(0, 64)}`, { status: 'not_found' });
}

/** A task the requester may see; someone else's task answers exactly like an unknown one. */
export async function loadTask(gw: Gateway, id: string, viewer?: FastifyRequest): Promise<Task> {
  const task = isTaskId(id) ? await gw.store.get(id) : undefined;
  if (!task || (viewer && !canSee(viewer, task))) throw notFound(id);
  return task;
}

const PUBLIC_TO_STATES: Record<string, TaskState[]> = {
  queued: ['queued'],
  preprocessing: ['preparing'],
  reserved: ['reserved'],
  processing: ['tts', 'rendering', 'collecting'],
  completed: ['completed'],
  failed: ['failed'],
  timeout: ['failed'],
  canceled: ['canceled'],
  active: ['preparing', 'reserved', 'tts', 'rendering', 'collecting'],
};

export function parseStatusFilter(status: string | undefined): TaskState[] | undefined {
  if (!status) return undefined;
  const out = new Set<TaskState>();
  for (const part of status.split(',')) {
    const p = part.trim();
    if ((TASK_STATES as readonly string[]).includes(p)) out.add(p as TaskState);
    else if (PUBLIC_TO_STATES[p]) PUBLIC_TO_STATES[p].forEach((s) => out.add(s));
    else throw new ApiError(400, 'input_invalid', `Unknown status filter: ${p.slice(0, 40)}`);
  }
  return [...out];
}

/** The avatar and voice a task used, named (the task page shows them; poster for the player). */
async function libraryFields(gw: Gateway, taskId: string): Promise<Record<string, unknown>> {
  const { avatar, voice } = await gw.library.namesForTask(taskId);
  return { avatar: avatar ? { ...avatar, poster_url: `/api/avatars/${avatar.id}/poster.jpg` } : null, voice };
}

/** The template version a task was rendered from (docs/templates.md); both null for other tasks. */
async function templateFields(gw: Gateway, taskId: string): Promise<Record<string, unknown>> {
  const ref = await gw.templates.usedBy(taskId);
  return { template_id: ref?.templateId ?? null, template_version: ref?.version ?? null };
}

/** The whole status answer of one task: the compatible fields, its parts, ETA, publications, library names, template. */
async function presentFullStatus(gw: Gateway, task: Task): Promise<Record<string, unknown>> {
  const now = gw.clock.now();
  const [position, children, publications, library, template] = await Promise.all([
    task.state === 'queued' ? gw.store.queuePosition(task.id) : null,
    gw.segments.segmentsOf(task),
    gw.publisher.publicationStatusFields(task.id),
    libraryFields(gw, task.id),
    templateFields(gw, task.id),
  ]);
  const body = presentStatus(task, position, now);
  Object.assign(body, segmentStatusFields(task, children, now), await gw.eta.fields(task, position), publications, library, template);
  return body;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const STATUS_TTL_MS = 100;

export function registerStatusRoutes(app: FastifyInstance, gw: Gateway): void {
  // A poll within STATUS_TTL_MS of the last one for the same task is answered from its
  // serialized body (the visibility check still runs per request); any change to the task or to
  // one of its parts drops the entry (http/body-cache.ts).
  const bodies = new BodyCache<{ owner: string | null; json: string }>(STATUS_TTL_MS);
  gw.lifecycle.on('change', ({ task }) => {
    bodies.delete(task.id);
    if (task.parentId !== null) bodies.delete(task.parentId);
  });
  gw.lifecycle.on('edited', (id) => bodies.delete(id)); // renamed or deleted
  app.get<{ Params: { id: string } }>(
    '/api/status/:id',
    { config: access('read'), schema: { tags: ['tasks'], summary: 'Status of one task (compatible shape)', params: idParams, response: { 200: withTemplateFields(withLibraryFields(withEta(withSegmentFields(taskStatusSchema)))), 404: notFoundSchema } } },
    async (req, reply) => {
      const id = req.params.id;
      const hit = bodies.get(id);
      if (hit !== undefined && canSee(req, hit)) return reply.type(JSON_TYPE).send(hit.json);
      const task = await loadTask(gw, id, req);
      const json = reply.serialize(await presentFullStatus(gw, task)) as string;
      bodies.set(task.id, { owner: task.owner, json });
      return reply.type(JSON_TYPE).send(json);
    },
  );

  app.get<{ Querystring: { status?: string; q?: string; from?: string; to?: string; limit?: number; offset?: number } }>(
    '/api/tasks',
    { config: access('read'),
      schema: {
        tags: ['tasks'],
        summary: 'Task history, newest first (paged, filter by status, time range, text)',
        querystring: {
          type: 'object',
          properties: {
            status: { type: 'string', maxLength: 200 },
            q: { type: 'string', maxLength: 200 },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
          additionalProperties: false,
        },
        response: { 200: taskListSchema },
      },
    },
    async (req) => {
      const { status, q, from, to, limit, offset } = req.query;
      const { items, total } = await gw.store.list({
        states: parseStatusFilter(status),
        q: q || undefined,
        owner: ownerFilter(req),
        from: from ? Date.parse(from) : undefined,
        to: to ? Date.parse(to) : undefined,
        limit,
        offset,
      });
      const now = gw.clock.now();
      const avatars = await gw.library.avatarsOf(items.map((t) => t.id));
      const rows = await Promise.all(
        items.map(async (t) => {
          const position = t.state === 'queued' ? await gw.store.queuePosition(t.id) : null;
          return { ...presentSummary(t, position, now), ...avatarFields(avatars.get(t.id)), ...(await gw.eta.fields(t, position)) };
        }),
      );
      return { tasks: rows, total, limit, offset };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/tasks/:id/cancel',
    { config: access('submit'),
      schema: {
        tags: ['tasks'],
        summary: 'Cancel a queued or running task',
        params: idParams,
        response: { 200: taskActionSchema('Canceled', false), 404: notFoundSchema, 409: errorDoc('The task already finished') },
      },
    },
    async (req) => {
      const task = await loadTask(gw, req.params.id, req);
      if (isFinal(task.state)) throw new ApiError(409, 'task_finished', `Task already ${task.state}`);
      const canceled = await gw.lifecycle.cancel(task.id);
      if (!canceled) throw new ApiError(409, 'task_finished', 'Task finished before it could be canceled');
      return { success: true, task_id: task.id, status: 'canceled' };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/tasks/:id/retry',
    { config: access('submit', { createsWork: true }),
      schema: {
        tags: ['tasks'],
        summary: 'Queue a failed or canceled task again',
        params: idParams,
        response: {
          202: taskActionSchema('Queued again', true),
          404: notFoundSchema,
          409: errorDoc('Only failed or canceled tasks can be retried'),
          429: errorDoc('Rate limit or quota reached (Retry-After)'),
          503: errorDoc('The queue is full (limits.maxQueued); Retry-After says when to try again'),
          507: errorDoc('Not enough free disk space for new work'),
        },
      },
    },
    async (req, reply) => {
      const task = await loadTask(gw, req.params.id, req);
      if (task.state !== 'failed' && task.state !== 'canceled') throw new ApiError(409, 'task_not_retryable', `Only failed or canceled tasks can be retried (this one is ${task.state})`);
      await gw.pipelines.admission.admit(1); // a retry joins the queue like a new submit: 503 + Retry-After past limits.maxQueued
      await gw.usage.admit(task.owner, estimateVideoSeconds([task.normalizedText ?? task.text], gw.segments.rate.charsPerSecond)); // and is checked against the key's budget: 429 budget_exceeded
      const next = await gw.lifecycle.retry(task);
      if (!next) throw new ApiError(409, 'task_not_retryable', 'Task changed state; try again');
      return reply.code(202).send({ success: true, task_id: task.id, status: 'queued', status_url: `/api/status/${task.id}` });
    },
  );
}
