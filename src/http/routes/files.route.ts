/**
 * Finished files: GET /api/download/:id (the MP4 as an attachment, byte ranges) and
 * GET /outputs/:file (inline, for players). Names are matched against the task-id pattern,
 * so no request can name a path outside outputs/.
 */
import type { FastifyInstance } from 'fastify';
import { contentDisposition } from '../../domain/download-name.js';
import { OUTPUT_MEDIA_TYPES, outputExtension } from '../../domain/output-options.js';
import { isTaskId } from '../../domain/ids.js';
import type { Gateway } from '../../gateway.js';
import { canSee } from '../access.js';
import { ApiError } from '../errors.js';
import { loadTask } from './status.route.js';
import { access } from '../security.js';

const OUTPUT_FILE = /^([0-9a-z]{26})\.(mp4|webm|wav)$/;

export function registerFileRoutes(app: FastifyInstance, gw: Gateway): void {
  app.get<{ Params: { id: string } }>(
    '/api/download/:id',
    { config: access('read', { tokenInQuery: true }), schema: { tags: ['files'], summary: 'Download the finished MP4 (byte ranges supported)', params: { type: 'object', properties: { id: { type: 'string', maxLength: 200 } } } } },
    async (req, reply) => {
      const task = await loadTask(gw, req.params.id, req);
      if (task.state !== 'completed' || !task.outputPath) {
        throw new ApiError(409, 'task_not_finished', `Task is ${task.state}; the video is not ready`, { status: task.state });
      }
      // the extension and Content-Type follow the task's output format (docs/output.md)
      const ext = outputExtension(task.outputOptions);
      return reply.header('content-disposition', contentDisposition(task.title || task.text, task.createdAt, ext)).type(OUTPUT_MEDIA_TYPES[ext]).sendFile(`${task.id}.${ext}`, gw.paths.outputs);
    },
  );

  app.get<{ Params: { file: string } }>(
    '/outputs/:file',
    { config: access('read', { tokenInQuery: true }), schema: { tags: ['files'], summary: 'A finished video or speech file, inline (byte ranges supported)', params: { type: 'object', properties: { file: { type: 'string', maxLength: 200 } } } } },
    async (req, reply) => {
      const m = OUTPUT_FILE.exec(req.params.file);
      if (!m || !isTaskId(m[1])) throw new ApiError(404, 'file_not_found', 'No such output file');
      const task = await gw.store.get(m[1]);
      const ready = task && canSee(req, task) && (m[2] === 'wav' ? task.ttsEndedAt !== null : task.state === 'completed' && m[2] === outputExtension(task.outputOptions));
      if (!ready) throw new ApiError(404, 'file_not_found', 'No such output file');
      return reply.sendFile(req.params.file, gw.paths.outputs);
    },
  );
}
