/**
 * Templates (docs/templates.md): CRUD of scripts with {{variables}} and the fields of a task,
 * owned per API key like avatars; every update is a new version. POST /api/templates/:id/render
 * fills the variables and goes through generate's own intake (acceptTask), so every check,
 * default and answer of a single task applies. Batches take `template_id` (batches.route.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { newTaskId } from '../../domain/ids.js';
import type { Gateway } from '../../gateway.js';
import { valuesOf, variablesOf, type Template } from '../../templates/template.js';
import type { TemplateInput } from '../../templates/templates.service.js';
import { ApiError } from '../errors.js';
import { captionsOption } from '../fields/captions.js';
import { languageOf } from '../fields/language.js';
import { idField, resolveLibraryInputs, viewerOf } from '../fields/library.js';
import { replyHeaders } from '../idempotency.js';
import { generateAcceptedSchema } from '../schemas.js';
import { withEta } from '../eta.schemas.js';
import { access } from '../security.js';
import { acceptTask } from './generate.route.js';
import { errorDoc, renderBodySchema, templateIdParams, templateInputSchema, templateListSchema, templateSchema } from './templates.schemas.js';

export function presentTemplate(t: Template): Record<string, unknown> {
  return {
    id: t.id,
    version: t.version,
    name: t.name,
    script: t.script,
    variables: variablesOf(t.script),
    avatar_id: t.avatar_id,
    voice_id: t.voice_id,
    language: t.language,
    captions: t.captions,
    options: t.options,
    shared: t.shared,
    owner: t.owner,
    created_time: new Date(t.createdAt).toISOString(),
  };
}

/**
 * A template body, its fields checked with generate's own parsers: language, captions, and
 * avatar/voice ids this key may use (404/403 as on generate). Output options are stored as given.
 */
async function inputOf(gw: Gateway, req: FastifyRequest): Promise<TemplateInput> {
  const b = req.body as Record<string, unknown>;
  const avatar_id = idField(b, 'avatar_id');
  const voice_id = idField(b, 'voice_id');
  if (avatar_id || voice_id) await resolveLibraryInputs(gw.library, viewerOf(req), { avatar_id, voice_id });
  return {
    name: String(b.name),
    script: String(b.script),
    avatar_id,
    voice_id,
    language: languageOf(b.language),
    captions: captionsOption(b.captions),
    options: (b.options as Record<string, string> | undefined) ?? {},
    shared: b.shared as boolean | undefined,
  };
}

export function registerTemplateRoutes(app: FastifyInstance, gw: Gateway): void {
  const { templates } = gw;
  const tags = ['templates'];
  const notFound = errorDoc('No such template (or another key\u2019s)');

  app.post('/api/templates', {
    config: access('submit'),
    schema: { tags, summary: 'Store a template (version 1)', body: templateInputSchema, response: { 201: templateSchema, 400: errorDoc('A field is invalid (`template_invalid`, `language_invalid`, …)'), 403: errorDoc('Only an admin key shares templates'), 404: errorDoc('avatar_id / voice_id names nothing this key can use') } },
  }, async (req, reply) => reply.code(201).send(presentTemplate(await templates.create(viewerOf(req), await inputOf(gw, req)))));

  app.get<{ Querystring: { limit?: number; offset?: number } }>('/api/templates', {
    config: access('read'),
    schema: { tags, summary: 'Templates this key can see (newest version of each), most recently changed first', querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 }, offset: { type: 'integer', minimum: 0, default: 0 } } }, response: { 200: templateListSchema } },
  }, async (req) => {
    const { items, total } = await templates.list(viewerOf(req), req.query.limit ?? 100, req.query.offset ?? 0);
    return { success: true, items: items.map(presentTemplate), total };
  });

  app.get<{ Params: { id: string }; Querystring: { version?: number } }>('/api/templates/:id', {
    config: access('read'),
    schema: { tags, summary: 'A template: its newest version, or `?version=n`', params: templateIdParams, querystring: { type: 'object', properties: { version: { type: 'integer', minimum: 1 } } }, response: { 200: templateSchema, 404: notFound } },
  }, async (req) => presentTemplate(await templates.visible(viewerOf(req), req.params.id, req.query.version)));

  app.get<{ Params: { id: string } }>('/api/templates/:id/versions', {
    config: access('read'),
    schema: { tags, summary: 'Every version of a template, newest first', params: templateIdParams, response: { 200: templateListSchema, 404: notFound } },
  }, async (req) => {
    const items = await templates.versions(viewerOf(req), req.params.id);
    return { success: true, items: items.map(presentTemplate), total: items.length };
  });

  app.put<{ Params: { id: string } }>('/api/templates/:id', {
    config: access('submit'),
    schema: { tags, summary: 'Change a template: stores the whole body as its next version', params: templateIdParams, body: templateInputSchema, response: { 200: templateSchema, 400: errorDoc('A field is invalid'), 403: errorDoc('Another key\u2019s template'), 404: notFound, 409: errorDoc('Changed at the same time (`template_version_conflict`)') } },
  }, async (req) => presentTemplate(await templates.update(viewerOf(req), req.params.id, await inputOf(gw, req))));

  app.delete<{ Params: { id: string } }>('/api/templates/:id', {
    config: access('submit'),
    schema: { tags, summary: 'Delete a template and all its versions (tasks keep naming the version they used)', params: templateIdParams, response: { 200: { type: 'object', properties: { success: { type: 'boolean' } }, required: ['success'] }, 403: errorDoc('Another key\u2019s template'), 404: notFound } },
  }, async (req) => {
    await templates.delete(viewerOf(req), req.params.id);
    return { success: true };
  });

  app.post<{ Params: { id: string }; Body: { variables?: unknown; version?: number; callback_url?: unknown; publish?: unknown } }>('/api/templates/:id/render', {
    config: access('submit', { createsWork: true }),
    schema: {
      tags,
      summary: 'Make a task from a template: its variables filled, then the same intake as POST /api/generate',
      params: templateIdParams,
      body: renderBodySchema,
      response: {
        202: withEta(generateAcceptedSchema),
        400: errorDoc('A variable value is not a string or number (`variables_invalid`), or what generate refuses'),
        404: notFound,
        422: errorDoc('A variable is missing or not in the script (`template_variables`: `missing[]`, `extra[]`), or what generate refuses'),
        429: errorDoc('Rate limit, active-task quota, or the key\u2019s monthly budget (`budget_exceeded`, with what is left)'),
        503: errorDoc('Queue full (`queue_full`)'),
      },
    },
  }, async (req, reply) => {
    const t = await templates.visible(viewerOf(req), req.params.id, req.body?.version);
    const values = valuesOf(req.body?.variables);
    if (!values) throw new ApiError(400, 'variables_invalid', 'variables must be an object of strings or numbers');
    const text = templates.fill(t, values);
    const intake = { text, videoPath: null, videoName: null, publish: req.body?.publish, captions: t.captions ?? undefined, language: t.language, callbackUrl: req.body?.callback_url, output: {} };
    // The template's options go where generate reads its request fields from.
    const fields = { ...t.options, avatar_id: t.avatar_id, voice_id: t.voice_id };
    const answer = await acceptTask(gw, req, newTaskId(), intake, fields, { templateId: t.id, version: t.version });
    return reply.code(202).headers(replyHeaders(answer)).send(answer.body);
  });
}
