/**
 * Batches (docs/batches.md): POST /api/batches (JSON rows, a CSV body, or a CSV file upload)
 * → one batch id; GET /api/batches (own batches), GET /api/batches/:id (counts and per-row
 * results), GET /api/batches/:id/results.zip (every finished MP4, streamed),
 * POST /api/batches/:id/cancel, POST /api/batches/:id/retry (failed and canceled rows). `Idempotency-Key` works as on /api/generate.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isTaskId } from '../../domain/ids.js';
import type { Gateway } from '../../gateway.js';
import { parseCsvRows, parseJsonRows, type RowInput } from '../../batches/batch-rows.js';
import { presentBatch } from '../../batches/batch-presenter.js';
import type { BatchRecord } from '../../batches/batch-store.js';
import { zipStream, type ZipEntry } from '../../batches/zip-writer.js';
import { resultEntries, type ResultSources } from '../../batches/results-zip.js';
import { rowLabel } from '../../batches/zip-names.js';
import { toVtt } from '../../segments/captions.js';
import { templateCsvRows, templateJsonRows } from '../../batches/template-rows.js';
import type { Template } from '../../templates/template.js';
import { publishTargetsOf } from '../fields/publish.js';
import { canSee, ownerFilter, ownerOf } from '../access.js';
import { DomainError } from '../../domain/errors.js';
import { ApiError, apiErrorOf, errorBodySchema } from '../errors.js';
import { fingerprintOf, idempotencyOf, replyHeaders } from '../idempotency.js';
import { resolveLibraryInputs, viewerOf } from '../fields/library.js';
import { rowsScripts } from '../fields/language.js';
import type { TaskLibraryRefs } from '../../library/library.js';
import { access } from '../security.js';
import { avatarFace, taskOutputOf, type FaceFacts, type TaskOutput } from '../fields/task-output.js';
import { outputExtension } from '../../domain/output-options.js';
import { estimateVideoSeconds } from '../../usage/usage.js';

type Json = Record<string, unknown>;
const errorDoc = (description: string) => ({ ...errorBodySchema, description });
const LANGUAGE_DOC = { type: 'string', enum: ['auto', 'zh', 'en'], default: 'auto' };
const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] } as const;
/** Open objects: the serializer keeps every key the presenter writes. */
const batchSchema: Json = {
  type: 'object',
  description: 'A batch: status, counts by status, and one entry per row (task id, status, result links, avatar/voice ids, metadata echoed back)',
  properties: {
    success: { type: 'boolean' },
    batch_id: { type: 'string' },
    status: { type: 'string', enum: ['queued', 'processing', 'completed', 'canceled'] },
    total: { type: 'integer' },
    counts: { type: 'object', additionalProperties: { type: 'integer' } },
    rows: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
  required: ['success', 'batch_id', 'status', 'total', 'counts', 'rows'],
  additionalProperties: true,
};
const batchListSchema: Json = {
  type: 'object',
  description: 'Batches, newest first (without rows)',
  properties: { success: { type: 'boolean' }, items: { type: 'array', items: { type: 'object', additionalProperties: true } } },
  required: ['success', 'items'],
  additionalProperties: true,
};

interface BatchInput {
  rows: RowInput[];
  /** The template the rows were filled from (docs/templates.md, "Batches"). */
  template?: Template;
  defaults: Record<string, unknown>;
  publish: unknown;
  /** What the Idempotency-Key fingerprint covers. */
  fingerprint: unknown;
}

async function readCsvUpload(gw: Gateway, req: FastifyRequest): Promise<{ csv: string; fields: Record<string, string> }> {
  const fields: Record<string, string> = {};
  let csv: string | null = null;
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file' || csv !== null) {
        part.file.resume();
        throw new ApiError(400, 'unexpected_file', 'Send one CSV file in the "file" field');
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of part.file) {
        size += (c as Buffer).length;
        if (size > gw.config.batches.maxBodyBytes) {
          part.file.resume();
          throw new ApiError(413, 'batch_too_large', `The CSV file is larger than ${gw.config.batches.maxBodyBytes} bytes (batches.maxBodyBytes)`);
        }
        chunks.push(c as Buffer);
      }
      csv = Buffer.concat(chunks).toString('utf8');
    } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
  }
  if (csv === null) throw new ApiError(400, 'batch_invalid', 'No CSV file (multipart field "file")');
  return { csv, fields };
}

async function readInput(gw: Gateway, req: FastifyRequest): Promise<BatchInput> {
  const limits = { maxRows: gw.config.batches.maxRows, maxTextChars: gw.config.limits.maxTextChars, maxMetadataBytes: gw.config.batches.maxMetadataBytes };
  if (req.isMultipart()) {
    const { csv, fields } = await readCsvUpload(gw, req).catch((err: unknown) => {
      if (err instanceof ApiError || err instanceof DomainError) throw err;
      throw new ApiError(400, 'multipart_invalid', 'Malformed or incomplete multipart body');
    });
    const defaults = { avatar_id: fields.avatar_id, voice_id: fields.voice_id, language: fields.language };
    const template = await templateOf(gw, req, fields.template_id, fields.template_version);
    const rows = template ? templateCsvRows(template, csv, defaults, limits) : parseCsvRows(csv, defaults, limits);
    return { rows, template, defaults: clean({ ...defaults, template_id: fields.template_id }), publish: fields.publish, fingerprint: { csv, ...fields } };
  }
  if (typeof req.body === 'string') {
    const q = req.query as Record<string, unknown>;
    const defaults = { avatar_id: q.avatar_id, voice_id: q.voice_id, language: q.language };
    const template = await templateOf(gw, req, q.template_id, q.template_version);
    const rows = template ? templateCsvRows(template, req.body, defaults, limits) : parseCsvRows(req.body, defaults, limits);
    return { rows, template, defaults: clean({ ...defaults, template_id: q.template_id }), publish: q.publish, fingerprint: { csv: req.body, ...defaults, publish: q.publish, template_id: q.template_id, template_version: q.template_version } };
  }
  const b = (req.body ?? {}) as Record<string, unknown>;
  const template = await templateOf(gw, req, b.template_id, b.template_version);
  const rows = template ? templateJsonRows(template, b, limits) : parseJsonRows(req.body, limits);
  return { rows, template, defaults: clean({ avatar_id: b.avatar_id, voice_id: b.voice_id, language: b.language, template_id: b.template_id }), publish: b.publish, fingerprint: b };
}

/** The template a batch names (`template_id`, optional `template_version`), as this key may see it. */
async function templateOf(gw: Gateway, req: FastifyRequest, id: unknown, version: unknown): Promise<Template | undefined> {
  if (id === undefined || id === null || id === '') return undefined;
  const v = version === undefined || version === null || version === '' ? undefined : Number(version);
  if (typeof id !== 'string' || (v !== undefined && !(Number.isInteger(v) && v >= 1))) throw new ApiError(400, 'batch_invalid', 'template_id must be a template id and template_version a positive integer');
  return gw.templates.visible(viewerOf(req), id, v);
}

const clean = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));

async function loadBatch(gw: Gateway, req: FastifyRequest<{ Params: { id: string } }>): Promise<BatchRecord> {
  const id = req.params.id;
  const batch = isTaskId(id) ? await gw.pipelines.batches.get(id) : undefined;
  if (!batch || !canSee(req, batch)) throw new ApiError(404, 'batch_not_found', `Batch not found: ${id.slice(0, 64)}`);
  return batch;
}

/**
 * Completed rows' MP4s in row order with their captions and a manifest.csv (batches/results-zip.ts),
 * named `<row>-<label>.mp4`: the label is the `name_by` column's value (`text`, `row`,
 * `task_id` or a metadata column), else the task's title or first words.
 */
async function* zipEntries(gw: Gateway, batch: BatchRecord, nameBy: string | undefined): AsyncGenerator<ZipEntry> {
  const view = await gw.pipelines.batches.view(batch);
  const width = String(batch.rowCount).length;
  const columns = metadataColumns(view.rows.map((r) => r.rec.metadata));
  const items = view.rows.map(({ rec, task }) => {
    const text = task?.text ?? '';
    const meta = (rec.metadata && typeof rec.metadata === 'object' ? rec.metadata : {}) as Record<string, unknown>;
    return {
      task,
      label: rowLabel(nameBy, { rowIndex: rec.rowIndex, taskId: rec.taskId, text, metadata: rec.metadata }) ?? (task?.title || text),
      prefix: `${String(rec.rowIndex).padStart(width, '0')}-`,
      columns: [rec.rowIndex, rec.taskId, text, ...columns.map((c) => cell(meta[c]))],
    };
  });
  yield* resultEntries(items, ['row', 'task_id', 'text', ...columns], resultSources(gw));
}

/** The metadata keys of a batch's rows, in first-seen order (the CSV's extra columns). */
function metadataColumns(list: unknown[]): string[] {
  const out = new Set<string>();
  for (const m of list) if (m && typeof m === 'object' && !Array.isArray(m)) Object.keys(m).forEach((k) => out.add(k));
  return [...out];
}

const cell = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Where a results ZIP reads a task's video and captions from. */
export function resultSources(gw: Gateway): ResultSources {
  return {
    videoPath: (task) => task.outputPath ?? gw.paths.output(task.id),
    vtt: async (task) => {
      const cues = await gw.segments.cues(task);
      return cues ? toVtt(cues) : null;
    },
  };
}

export function registerBatchRoutes(app: FastifyInstance, gw: Gateway): void {
  const { batches, idempotency, admission } = gw.pipelines;
  void app.register(async (scope) => {
    // CSV as the body itself (`curl --data-binary @rows.csv -H 'content-type: text/csv'`).
    scope.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: gw.config.batches.maxBodyBytes }, (_req, body, done) => done(null, body));
    scope.post(
      '/api/batches',
      { config: access('submit', { createsWork: true }),
        bodyLimit: gw.config.batches.maxBodyBytes,
        schema: {
          tags: ['batches'],
          summary: 'Submit many texts as one batch',
          description:
            'JSON `{"rows": [{"text", "avatar_id"?, "voice_id"?, "language"?, "metadata"?}], "avatar_id"?, "voice_id"?, "language"?}`, a `text/csv` body (header row with `text`, ' +
            'optional `avatar_id`, `voice_id`, `language` (auto | zh | en); other columns become per-row metadata; batch-wide ids as query parameters), or multipart with the CSV in `file`. ' +
            'All rows are validated first; any bad row → 400 listing the rows, nothing stored. `Idempotency-Key` replays the first answer. ' +
            'With `template_id` (and optional `template_version`; JSON key, query parameter or multipart field) rows fill a template (docs/templates.md): ' +
            'JSON rows are `{"variables": {...}}`, CSV columns are the variables; a missing or extra variable → 422 `template_variables` with row and column.',
          docsBody: {
            required: true,
            content: {
              'application/json': { schema: { type: 'object', properties: { rows: { type: 'array', items: { type: 'object', properties: { text: { type: 'string' }, avatar_id: { type: 'string' }, voice_id: { type: 'string' }, language: LANGUAGE_DOC, metadata: {} }, required: ['text'] } }, avatar_id: { type: 'string' }, voice_id: { type: 'string' }, language: LANGUAGE_DOC }, required: ['rows'] } },
              'text/csv': { schema: { type: 'string' } },
              'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' }, avatar_id: { type: 'string' }, voice_id: { type: 'string' }, language: LANGUAGE_DOC }, required: ['file'] } },
            },
          },
          response: {
            202: batchSchema,
            400: errorDoc('Bad rows (`batch_rows_invalid` with `errors[]`: row, line, field, code), malformed CSV (`csv_invalid` with line), no rows, bad Idempotency-Key'),
            413: errorDoc('More rows than batches.maxRows (or than limits.maxQueued), or the body is too large'),
            422: errorDoc('Template variables missing or extra (`template_variables`, `errors[]`: row, line, field, code), Idempotency-Key reused with another body (`idempotency_key_reused`), or rows holding characters the speech engine cannot speak (`unsupported_script`, `details[]`: row, char, index, script, code_point; nothing stored)'),
            409: errorDoc('A request with the same Idempotency-Key is still being answered'),
            429: errorDoc('Rate limit or active-task quota reached (Retry-After), or the batch would cross the key\u2019s monthly budget (`budget_exceeded`)'),
            503: errorDoc('Queue full (`queue_full`, limits.maxQueued); Retry-After from the drain rate'),
            507: errorDoc('Not enough free disk space for new work'),
          },
        },
      },
      async (req, reply) => {
        const input = await readInput(gw, req);
        input.rows = rowsScripts(input.rows, gw.config.text.unsupportedScripts); // 422 unsupported_script before anything is stored
        if (admission.limit > 0 && input.rows.length > admission.limit) {
          throw new ApiError(413, 'batch_too_large', `The batch has ${input.rows.length} rows, more than the queue holds (limits.maxQueued ${admission.limit}); split it`, { limit: admission.limit });
        }
        const publishTo = publishTargetsOf(gw.publisher, input.publish);
        const inputs = await libraryInputsOf(gw, req, input.rows);
        const outputs = await rowOutputsOf(gw, req, input.rows, inputs);
        const answer = await idempotency.run(idempotencyOf(req), 'batches', () => fingerprintOf(input.fingerprint), async () => {
          await admission.admit(input.rows.length);
          const t = input.template;
          const view = await batches.create(ownerOf(req), input.rows, publishTo, input.defaults, inputs, t ? { template: { templateId: t.id, version: t.version }, captions: t.captions === 'burn' ? 'burn' : null } : {}, outputs);
          return { status: 202, body: presentBatch(view, gw.clock.now()) };
        });
        return reply.code(answer.status as 202).headers(replyHeaders(answer)).send(answer.body);
      },
    );
  });

  app.get<{ Querystring: { limit?: number } }>(
    '/api/batches',
    { config: access('read'),
      schema: {
        tags: ['batches'],
        summary: 'Batches of this API key (all with an admin key), newest first',
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } } },
        response: { 200: batchListSchema },
      },
    },
    async (req) => {
      const list = await batches.list(ownerFilter(req), req.query.limit ?? 50);
      return {
        success: true,
        items: list.map((b) => ({ batch_id: b.id, total: b.rowCount, created_time: new Date(b.createdAt).toISOString(), completed_time: b.completedAt ? new Date(b.completedAt).toISOString() : null, canceled_time: b.canceledAt ? new Date(b.canceledAt).toISOString() : null, status_url: `/api/batches/${b.id}` })),
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/batches/:id',
    { config: access('read'), schema: { tags: ['batches'], summary: 'A batch: counts and per-row results', params: idParams, response: { 200: batchSchema, 404: errorDoc('Unknown batch, or another API key\u2019s') } } },
    async (req) => presentBatch(await batches.view(await loadBatch(gw, req)), gw.clock.now()),
  );

  app.get<{ Params: { id: string }; Querystring: { name_by?: string } }>(
    '/api/batches/:id/results.zip',
    { config: access('read', { tokenInQuery: true }),
      schema: {
        tags: ['batches'],
        summary: 'Every finished video of the batch as one ZIP (streamed), with captions (.vtt) and a manifest.csv',
        description: 'Entries are `<row>-<name>.mp4` and `<row>-<name>.vtt`; `<name>` comes from the `name_by` column (`text`, `row`, `task_id` or a metadata column of the CSV), else the task\u2019s title or first words. `manifest.csv` lists every row: row, task_id, text, the metadata columns, file, captions, status.',
        params: idParams,
        querystring: { type: 'object', properties: { name_by: { type: 'string', maxLength: 100 } } },
      },
    },
    async (req, reply) => {
      const batch = await loadBatch(gw, req);
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="batch-${batch.id}.zip"`)
        .header('cache-control', 'no-store')
        .send(zipStream(zipEntries(gw, batch, req.query.name_by || undefined)));
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/batches/:id/retry',
    { config: access('submit', { createsWork: true }),
      schema: {
        tags: ['batches'],
        summary: 'Queue the failed and canceled rows of a batch again',
        params: idParams,
        response: {
          200: batchSchema,
          404: errorDoc('Unknown batch, or another API key\u2019s'),
          429: errorDoc('The retried rows would cross the key\u2019s monthly budget (budget_exceeded)'),
          503: errorDoc('The queue is full (limits.maxQueued); Retry-After says when to try again'),
        },
      },
    },
    async (req) => {
      const batch = await loadBatch(gw, req);
      const view = await batches.view(batch);
      const again = view.rows.flatMap(({ task }) => (task && (task.state === 'failed' || task.state === 'canceled') ? [task] : []));
      if (again.length) await admission.admit(again.length); // like a resubmit: 503 + Retry-After past limits.maxQueued
      if (again.length) await gw.usage.admit(batch.owner, estimateVideoSeconds(again.map((t) => t.normalizedText ?? t.text), gw.segments.rate.charsPerSecond)); // 429 budget_exceeded
      let retried = 0;
      for (const task of again) if (await gw.lifecycle.retry(task)) retried++;
      return { ...presentBatch(await batches.view((await batches.get(batch.id)) ?? batch), gw.clock.now()), retried_tasks: retried };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/batches/:id/cancel',
    { config: access('submit'),
      schema: {
        tags: ['batches'],
        summary: 'Cancel every unfinished task of a batch',
        params: idParams,
        response: { 200: batchSchema, 404: errorDoc('Unknown batch, or another API key\u2019s') },
      },
    },
    async (req) => {
      const batch = await loadBatch(gw, req);
      const canceled = await batches.cancel(batch);
      const fresh = (await batches.get(batch.id)) ?? batch;
      return { ...presentBatch(await batches.view(fresh), gw.clock.now()), canceled_tasks: canceled };
    },
  );
}

/**
 * Every row's avatar_id / voice_id → library items the caller may use (the same check as
 * generate). Runs before anything is stored; an unknown or foreign id names its row.
 */
/**
 * Each row's output options and caption style (docs/output.md), bound to its avatar's face: every
 * refusal names its row and field, and nothing is stored (400 `batch_rows_invalid`).
 */
async function rowOutputsOf(gw: Gateway, req: FastifyRequest, rows: readonly RowInput[], inputs: readonly TaskLibraryRefs[]): Promise<Array<TaskOutput | undefined>> {
  const faces = new Map<string, FaceFacts>();
  const errors: Array<Record<string, unknown>> = [];
  const out: Array<TaskOutput | undefined> = [];
  for (const [i, r] of rows.entries()) {
    if (!r.output) {
      out.push(undefined);
      continue;
    }
    try {
      const avatarId = inputs[i]?.avatarId ?? null;
      let face: FaceFacts = { box: null, size: null };
      if (avatarId) {
        if (!faces.has(avatarId)) faces.set(avatarId, avatarFace((await gw.library.get('avatar', avatarId, viewerOf(req))).data.faceCheck));
        face = faces.get(avatarId)!;
      }
      out.push(await taskOutputOf(gw, r.output, face));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const field = err.code.startsWith('caption') || err.code === 'font_not_found' ? 'caption_style' : (((err.details.details as Array<{ field?: string }> | undefined)?.[0]?.field) ?? 'output');
      errors.push({ row: r.row, field, code: err.code, message: err.message });
      out.push(undefined);
    }
  }
  if (errors.length) throw new ApiError(400, 'batch_rows_invalid', `${errors.length} row(s) have output options that cannot be used; nothing was stored (row ${errors[0].row}: ${String(errors[0].message)})`, { errors });
  return out;
}

async function libraryInputsOf(gw: Gateway, req: FastifyRequest, rows: readonly RowInput[]): Promise<TaskLibraryRefs[]> {
  const viewer = viewerOf(req);
  const out: TaskLibraryRefs[] = [];
  let defaults: TaskLibraryRefs | null = null; // rows without ids: the deployment defaults, looked up once
  for (const r of rows) {
    if (!r.avatarId && !r.voiceId) {
      out.push((defaults ??= await resolveLibraryInputs(gw.library, viewer, {})));
      continue;
    }
    try {
      out.push(await resolveLibraryInputs(gw.library, viewer, { avatar_id: r.avatarId, voice_id: r.voiceId }));
    } catch (err) {
      const e = err instanceof DomainError ? apiErrorOf(err) : err;
      if (e instanceof ApiError) throw new ApiError(e.status, e.code, `Row ${r.row}: ${e.message}`, { ...e.extra, row: r.row });
      throw err;
    }
  }
  return out;
}
