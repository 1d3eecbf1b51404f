/**
 * Webhook endpoints of an API key (POST/GET/PATCH/DELETE /api/webhooks), their deliveries
 * (GET /api/webhooks/:id/deliveries), a task's deliveries (GET /api/tasks/:id/webhooks) and
 * redelivery by hand (POST /api/webhooks/deliveries/:deliveryId/redeliver). An endpoint belongs
 * to the key that registered it; another key's answers exactly like an unknown one
 * (docs/webhooks.md).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { Gateway } from '../../gateway.js';
import type { WebhookEndpoint, WebhookEventType } from '../../webhooks/outbox-store.js';
import { presentDelivery, presentEndpoint } from '../../webhooks/present.js';
import {
  createEndpointBody,
  deliveryListSchema,
  deliverySchema,
  endpointListSchema,
  endpointSchema,
  endpointWithSecretSchema,
  patchEndpointBody,
} from '../webhook.schemas.js';
import { newSecret } from '../../webhooks/signer.js';
import { TargetRefused } from '../../webhooks/ssrf.js';
import { ownerFilter, ownerOf } from '../access.js';
import { ApiError, errorBodySchema } from '../errors.js';
import { loadTask } from './status.route.js';
import { access } from '../security.js';

const TASK_EVENTS: WebhookEventType[] = ['task.completed', 'task.failed', 'task.canceled'];
const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 100 } }, required: ['id'] } as const;
const deliveryParams = { type: 'object', properties: { deliveryId: { type: 'string', maxLength: 100 } }, required: ['deliveryId'] } as const;
const limitQuery = { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } }, additionalProperties: false } as const;
const err = (description: string) => ({ ...errorBodySchema, description });
const notFound = (id: string) => new ApiError(404, 'webhook_not_found', `Webhook endpoint not found: ${id.slice(0, 64)}`);

interface CreateBody {
  url: string;
  events?: WebhookEventType[];
  description?: string;
  enabled?: boolean;
}
interface PatchBody extends Partial<Omit<CreateBody, 'description'>> {
  description?: string | null;
  rotate_secret?: boolean;
  overlap_seconds?: number;
}

/** A URL the target policy accepts (registration-time check; delivery checks again). */
async function checkedUrl(gw: Gateway, url: string): Promise<string> {
  try {
    return (await gw.webhooks.targets.check(url)).url.href;
  } catch (e) {
    if (e instanceof TargetRefused) throw new ApiError(400, e.code, e.message);
    throw e;
  }
}

export function registerWebhookRoutes(app: FastifyInstance, gw: Gateway): void {
  const store = gw.webhooks.store;

  async function loadEndpoint(req: FastifyRequest, id: string): Promise<WebhookEndpoint> {
    const e = await store.getEndpoint(id);
    const owner = ownerFilter(req);
    if (!e || (owner !== undefined && e.owner !== owner)) throw notFound(id);
    return e;
  }

  app.post<{ Body: CreateBody }>(
    '/api/webhooks',
    { config: access('submit'),
      schema: {
        tags: ['webhooks'],
        summary: 'Register a webhook endpoint for this API key',
        body: createEndpointBody,
        response: { 201: endpointWithSecretSchema, 400: err('Invalid or refused URL (private, loopback… addresses need webhooks.allowedHosts)'), 409: err('Too many endpoints for this key') },
      },
    },
    async (req, reply) => {
      const owner = ownerOf(req);
      const url = await checkedUrl(gw, req.body.url);
      if ((await store.listEndpoints(owner)).length >= gw.config.webhooks.maxEndpointsPerKey) {
        throw new ApiError(409, 'webhook_limit', `At most ${gw.config.webhooks.maxEndpointsPerKey} endpoints per API key`);
      }
      const now = gw.clock.now();
      const e: WebhookEndpoint = {
        id: `wh_${randomBytes(9).toString('base64url')}`,
        owner,
        url,
        events: req.body.events ?? TASK_EVENTS,
        description: req.body.description ?? null,
        secret: newSecret(),
        previousSecret: null,
        previousSecretUntil: null,
        enabled: req.body.enabled ?? true,
        createdAt: now,
        updatedAt: now,
      };
      await store.createEndpoint(e);
      return reply.code(201).send({ ...presentEndpoint(e, now), secret: e.secret });
    },
  );

  app.get('/api/webhooks', { config: access('read'), schema: { tags: ['webhooks'], summary: 'Webhook endpoints of this API key (all, for an admin key)', response: { 200: endpointListSchema } } }, async (req) => {
    const now = gw.clock.now();
    return { webhooks: (await store.listEndpoints(ownerFilter(req))).map((e) => presentEndpoint(e, now)) };
  });

  app.get<{ Params: { id: string } }>(
    '/api/webhooks/:id',
    { config: access('read'), schema: { tags: ['webhooks'], summary: 'One webhook endpoint', params: idParams, response: { 200: endpointSchema, 404: err('Unknown endpoint, or another key’s') } } },
    async (req) => presentEndpoint(await loadEndpoint(req, req.params.id), gw.clock.now()),
  );

  app.patch<{ Params: { id: string }; Body: PatchBody }>(
    '/api/webhooks/:id',
    { config: access('submit'),
      schema: {
        tags: ['webhooks'],
        summary: 'Change an endpoint, or rotate its secret (the old one stays valid during the overlap)',
        params: idParams,
        body: patchEndpointBody,
        response: { 200: endpointSchema, 400: err('Invalid or refused URL'), 404: err('Unknown endpoint, or another key’s') },
      },
    },
    async (req) => {
      const e = await loadEndpoint(req, req.params.id);
      const b = req.body ?? {};
      const now = gw.clock.now();
      const patch: Parameters<typeof store.updateEndpoint>[1] = {};
      if (b.url !== undefined) patch.url = await checkedUrl(gw, b.url);
      if (b.events !== undefined) patch.events = b.events;
      if (b.description !== undefined) patch.description = b.description;
      if (b.enabled !== undefined) patch.enabled = b.enabled;
      if (b.rotate_secret) {
        patch.secret = newSecret();
        patch.previousSecret = e.secret;
        patch.previousSecretUntil = now + (b.overlap_seconds ?? 86_400) * 1000;
      }
      const next = await store.updateEndpoint(e.id, patch, now);
      if (!next) throw notFound(e.id);
      // The secret is shown only when it changed (the answer to the rotation).
      return { ...presentEndpoint(next, now), ...(b.rotate_secret ? { secret: next.secret } : {}) };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/webhooks/:id',
    { config: access('submit'),
      schema: {
        tags: ['webhooks'],
        summary: 'Remove an endpoint (its pending deliveries end failed)',
        params: idParams,
        response: { 200: { type: 'object', description: 'Removed', properties: { success: { type: 'boolean' }, id: { type: 'string' } }, required: ['success', 'id'] }, 404: err('Unknown endpoint, or another key’s') },
      },
    },
    async (req) => {
      const e = await loadEndpoint(req, req.params.id);
      await store.deleteEndpoint(e.id);
      return { success: true, id: e.id };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit: number } }>(
    '/api/webhooks/:id/deliveries',
    { config: access('read'),
      schema: {
        tags: ['webhooks'],
        summary: 'Deliveries to one endpoint with every attempt, newest first',
        params: idParams,
        querystring: limitQuery,
        response: { 200: deliveryListSchema, 404: err('Unknown endpoint, or another key’s') },
      },
    },
    async (req) => {
      const e = await loadEndpoint(req, req.params.id);
      return { deliveries: await withAttempts(gw, await store.listDeliveries({ endpointId: e.id, limit: req.query.limit })) };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit: number } }>(
    '/api/tasks/:id/webhooks',
    { config: access('read'),
      schema: {
        tags: ['webhooks'],
        summary: 'Webhook deliveries of one task (its callback_url and the key’s endpoints) with every attempt',
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] },
        querystring: limitQuery,
        response: { 200: deliveryListSchema, 404: err('Unknown task, or another key’s') },
      },
    },
    async (req) => {
      const task = await loadTask(gw, req.params.id, req);
      return { deliveries: await withAttempts(gw, await store.listDeliveries({ taskId: task.id, limit: req.query.limit })) };
    },
  );

  app.post<{ Params: { deliveryId: string } }>(
    '/api/webhooks/deliveries/:deliveryId/redeliver',
    { config: access('submit'),
      schema: {
        tags: ['webhooks'],
        summary: 'Send a delivery again now (same body, new signature)',
        params: deliveryParams,
        response: { 202: deliverySchema, 404: err('Unknown delivery, or another key’s'), 409: err('An attempt is in flight') },
      },
    },
    async (req, reply) => {
      const d = await store.getDelivery(req.params.deliveryId);
      const owner = ownerFilter(req);
      if (!d || (owner !== undefined && d.owner !== owner)) throw new ApiError(404, 'delivery_not_found', `Delivery not found: ${req.params.deliveryId.slice(0, 64)}`);
      if (!(await gw.webhooks.redeliver(d.id))) throw new ApiError(409, 'delivery_in_flight', 'An attempt of this delivery is in flight; try again when it ended');
      const [next] = await withAttempts(gw, [(await store.getDelivery(d.id)) ?? d]);
      return reply.code(202).send(next);
    },
  );
}

async function withAttempts(gw: Gateway, rows: Awaited<ReturnType<Gateway['webhooks']['store']['listDeliveries']>>): Promise<Array<Record<string, unknown>>> {
  const now = gw.clock.now();
  return Promise.all(rows.map(async (d) => presentDelivery(d, await gw.webhooks.store.attempts(d.id), now)));
}
