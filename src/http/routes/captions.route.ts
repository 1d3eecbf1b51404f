/**
 * GET /api/tasks/:id/captions.srt and .vtt — captions of a task, timed from its real speech
 * (docs/segments.md). 409 until the speech exists.
 */
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../gateway.js';
import { toSrt, toVtt } from '../../segments/captions.js';
import { vttCueSettings } from '../../domain/caption-style.js';
import { errorBodySchema } from '../errors.js';
import { ApiError } from '../errors.js';
import { loadTask } from './status.route.js';
import { access } from '../security.js';

const FORMATS = { srt: { type: 'application/x-subrip; charset=utf-8', render: toSrt }, vtt: { type: 'text/vtt; charset=utf-8', render: toVtt } } as const;

export function registerCaptionRoutes(app: FastifyInstance, gw: Gateway): void {
  for (const [ext, f] of Object.entries(FORMATS)) {
    app.get<{ Params: { id: string } }>(
      `/api/tasks/:id/captions.${ext}`,
      { config: access('read'),
        schema: {
          tags: ['tasks'],
          summary: `Captions as ${ext === 'srt' ? 'SRT' : 'WebVTT'}, timed from the task's speech (≤ 2 lines of ≤ 42 characters, Chinese ≤ 16 full-width; maths readable)`,
          params: { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] },
          response: {
            200: { type: 'string', description: `${ext.toUpperCase()} text` },
            404: { ...errorBodySchema, description: 'Unknown task' },
            409: { ...errorBodySchema, description: 'The speech is not ready yet' },
          },
        },
      },
      async (req, reply) => {
        const task = await loadTask(gw, req.params.id, req);
        const cues = await gw.segments.cues(task);
        if (!cues) throw new ApiError(409, 'captions_not_ready', `Task is ${task.state}; captions exist once its speech is ready`, { status: task.state });
        return reply.type(f.type).send(ext === 'vtt' ? toVtt(cues, vttCueSettings(task.captionStyle)) : f.render(cues));
      },
    );
  }
}
