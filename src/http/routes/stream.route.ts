/**
 * GET /api/tasks/:id/stream.m3u8 and /api/tasks/:id/stream/:k.ts — watch a long script while it
 * renders (docs/segments.md, "Watch while it renders"): an HLS playlist of EVENT type that grows
 * as parts finish in order, ending once the task is completed. Players fetch the segments
 * without custom headers, so the playlist carries the request's `access_token` into every
 * segment URI.
 */
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../gateway.js';
import { ApiError, errorBodySchema } from '../errors.js';
import { loadTask } from './status.route.js';
import { access } from '../security.js';

const SEGMENT_FILE = /^(\d{1,4})\.ts$/;
const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] } as const;
const errorDoc = (description: string) => ({ ...errorBodySchema, description });

export function registerStreamRoutes(app: FastifyInstance, gw: Gateway): void {
  app.get<{ Params: { id: string }; Querystring: { access_token?: string } }>(
    '/api/tasks/:id/stream.m3u8',
    {
      config: access('read', { tokenInQuery: true }),
      schema: {
        tags: ['tasks'],
        summary: 'HLS playlist (EVENT) of the task: grows as parts finish in order, #EXT-X-ENDLIST once completed',
        description:
          'A long script is watchable while it renders: part k is listed once parts 0…k are rendered; each EXTINF is the part\u2019s exact length. ' +
          'A one-part task has a stream once completed (409 `stream_not_ready` before). A failed or canceled task: 409 `stream_unavailable`. ' +
          'The request\u2019s `access_token` query parameter is repeated in every segment URI.',
        params: idParams,
        response: {
          404: errorDoc('Unknown task'),
          409: errorDoc('No stream: a one-part task still rendering (`stream_not_ready`), or a failed or canceled task (`stream_unavailable`)'),
        },
      },
    },
    async (req, reply) => {
      const task = await loadTask(gw, req.params.id, req);
      const token = typeof req.query.access_token === 'string' ? `?access_token=${encodeURIComponent(req.query.access_token)}` : '';
      const text = await gw.segments.stream.playlist(task, token);
      return reply.type('application/vnd.apple.mpegurl').header('cache-control', 'no-cache').send(text);
    },
  );

  app.get<{ Params: { id: string; file: string } }>(
    '/api/tasks/:id/stream/:file',
    {
      config: access('read', { tokenInQuery: true }),
      schema: {
        tags: ['tasks'],
        summary: 'One segment of the task\u2019s HLS stream (`<k>.ts`, MPEG-TS: the part\u2019s video copied, its speech as AAC)',
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 200 }, file: { type: 'string', maxLength: 20, description: '`<k>.ts`, k from 0' } }, required: ['id', 'file'] },
        response: {
          404: errorDoc('Unknown task, or a segment not listed (yet)'),
          409: errorDoc('No stream for this task (see the playlist)'),
        },
      },
    },
    async (req, reply) => {
      const m = SEGMENT_FILE.exec(req.params.file);
      if (!m) throw new ApiError(404, 'segment_not_found', 'No such segment');
      const task = await loadTask(gw, req.params.id, req);
      const path = await gw.segments.stream.segment(task, Number(m[1]));
      // a listed segment never changes: cacheable by the player
      return reply.type('video/mp2t').header('cache-control', 'private, max-age=86400').sendFile(path.slice(gw.paths.outputs.length + 1), gw.paths.outputs);
    },
  );
}
