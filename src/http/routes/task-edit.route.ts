/**
 * What a user does to their own tasks besides cancel and retry: PATCH /api/tasks/:id (the
 * title), DELETE /api/tasks/:id (a finished task, with its files), and
 * GET /api/tasks/results.zip?ids=… (the finished videos of a selection, with captions and a
 * manifest.csv). Own tasks with a submit key; every task with an admin key.
 */
import type { FastifyInstance } from 'fastify';
import { isFinal } from '../../domain/task.js';
import { isTaskId } from '../../domain/ids.js';
import type { Gateway } from '../../gateway.js';
import { resultEntries } from '../../batches/results-zip.js';
import { zipStream } from '../../batches/zip-writer.js';
import { removeTaskFiles } from '../../maintenance/task-files.js';
import { canSee } from '../access.js';
import { ApiError, errorBodySchema } from '../errors.js';
import { access } from '../security.js';
import { resultSources } from './batches.route.js';
import { loadTask } from './status.route.js';

const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] } as const;
const errorDoc = (description: string) => ({ ...errorBodySchema, description });
/** Characters of a title: a file name and a list row, not a script. */
export const MAX_TITLE_CHARS = 120;
/** Tasks in one selection ZIP (the UI's page is 20; a URL of 200 ids is ~5.6 kB). */
const MAX_ZIP_TASKS = 200;

export function registerTaskEditRoutes(app: FastifyInstance, gw: Gateway): void {
  app.patch<{ Params: { id: string }; Body: { title: string | null } }>(
    '/api/tasks/:id',
    { config: access('submit'),
      schema: {
        tags: ['tasks'],
        summary: 'Rename a task (its title in lists, on its page and in its download name)',
        params: idParams,
        body: { type: 'object', properties: { title: { type: ['string', 'null'], maxLength: 1000, description: `Up to ${MAX_TITLE_CHARS} characters; empty or null: back to the text\u2019s first words` } }, required: ['title'], additionalProperties: false },
        response: {
          200: { type: 'object', properties: { success: { type: 'boolean' }, task_id: { type: 'string' }, title: { type: ['string', 'null'] } }, required: ['success', 'task_id', 'title'] },
          400: errorDoc('Title too long (`title_too_long`)'),
          404: errorDoc('Unknown task, or another API key\u2019s'),
        },
      },
    },
    async (req) => {
      const task = await loadTask(gw, req.params.id, req);
      // one line: line breaks and other control characters would break a file name or a row
      const title = (req.body.title ?? '').replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').trim();
      if ([...title].length > MAX_TITLE_CHARS) throw new ApiError(400, 'title_too_long', `A title holds up to ${MAX_TITLE_CHARS} characters`, { max: MAX_TITLE_CHARS });
      if (!(await gw.lifecycle.rename(task, title || null))) throw new ApiError(404, 'task_not_found', `Task not found: ${task.id}`);
      return { success: true, task_id: task.id, title: title || null };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/tasks/:id',
    { config: access('submit'),
      schema: {
        tags: ['tasks'],
        summary: 'Delete a finished task with its files (video, speech, upload, captions); cancel a running one first',
        params: idParams,
        response: {
          200: { type: 'object', properties: { success: { type: 'boolean' }, task_id: { type: 'string' }, files_removed: { type: 'integer' } }, required: ['success', 'task_id'] },
          404: errorDoc('Unknown task, or another API key\u2019s'),
          409: errorDoc('The task is still queued or running (`task_not_finished`): cancel it first'),
        },
      },
    },
    async (req) => {
      const task = await loadTask(gw, req.params.id, req);
      if (!isFinal(task.state)) throw new ApiError(409, 'task_not_finished', `Task is ${task.state}; cancel it before deleting it`, { status: task.state });
      const ids = [task.id, ...(await gw.store.listSegments(task.id)).map((s) => s.id)];
      const rows = await gw.lifecycle.remove(task);
      // a segment still finishing (a backup render) keeps the task: answered like a running task
      if (rows.tasks === 0) throw new ApiError(409, 'task_not_finished', 'A part of the task is still running; try again in a moment', { status: task.state });
      const files = await removeTaskFiles([gw.paths.outputs, gw.paths.uploads, gw.paths.work], ids);
      return { success: true, task_id: task.id, files_removed: files };
    },
  );

  app.get<{ Querystring: { ids: string } }>(
    '/api/tasks/results.zip',
    { config: access('read', { tokenInQuery: true }),
      schema: {
        tags: ['tasks'],
        summary: 'The finished videos of the given tasks as one ZIP (streamed), with captions (.vtt) and a manifest.csv',
        description: `\`ids\`: up to ${MAX_ZIP_TASKS} task ids, comma-separated, in the order wanted. Entries are \`<title or first words>-<date>.mp4\` and \`.vtt\`; \`manifest.csv\` lists every id asked for (task_id, title, text, created_time, file, captions, status). Unknown or other keys\u2019 ids are listed as \`not_found\`.`,
        querystring: { type: 'object', properties: { ids: { type: 'string', maxLength: 27 * MAX_ZIP_TASKS } }, required: ['ids'] },
        response: { 400: errorDoc('No ids, a malformed id, or too many (`input_invalid`)') },
      },
    },
    async (req, reply) => {
      const ids = [...new Set(req.query.ids.split(',').map((s) => s.trim()).filter(Boolean))];
      if (!ids.length || ids.length > MAX_ZIP_TASKS || !ids.every(isTaskId)) throw new ApiError(400, 'input_invalid', `ids: 1 to ${MAX_ZIP_TASKS} task ids, comma-separated`);
      const items = [];
      for (const id of ids) {
        const found = await gw.store.get(id);
        const task = found && canSee(req, found) ? found : undefined;
        const date = task ? new Date(task.createdAt).toISOString().slice(0, 10) : '';
        // the name a single download gets (domain/download-name.ts): `<title or first words>-<date>`
        items.push({ task, label: task?.title || task?.text || '', prefix: '', suffix: `-${date}`, columns: [id, task?.title ?? null, task?.text ?? null, task ? new Date(task.createdAt).toISOString() : null] });
      }
      const header = ['task_id', 'title', 'text', 'created_time'];
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="videos-${new Date(gw.clock.now()).toISOString().slice(0, 10)}.zip"`)
        .header('cache-control', 'no-store')
        .send(zipStream(resultEntries(items, header, resultSources(gw), 'not_found')));
    },
  );
}
