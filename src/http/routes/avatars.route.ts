/**
 * /api/avatars: register a face video once (validated like /api/generate's upload), list,
 * read, rename / share, delete (refused while unfinished tasks use it). docs/avatars.md.
 */
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../gateway.js';
import type { Avatar } from '../../library/library.js';
import { viewerOf } from '../fields/library.js';
import { ownerOf } from '../access.js';
import { ApiError } from '../errors.js';
import { checkVideo, VIDEO_EXTENSIONS } from './generate.route.js';
import { rm } from 'node:fs/promises';
import { avatarSchema, deletedSchema, errors, idParams, itemName, listSchema, nameBody, pageQuery, presentAvatar, receiveUpload, registerItemFile } from './library-common.js';
import { access } from '../security.js';

const uploadBody = {
  description: 'The face video and its name',
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        properties: {
          video: { type: 'string', format: 'binary', description: 'mp4, avi, mov or mkv with the person speaking (its sound becomes the avatar\u2019s voice)' },
          name: { type: 'string', description: 'Display name (default: the file name)' },
          voice_id: { type: 'string', description: 'A library voice for this face; then the video may be silent' },
        },
        required: ['video'],
      },
    },
  },
};

export function registerAvatarRoutes(app: FastifyInstance, gw: Gateway): void {
  app.post(
    '/api/avatars',
    { config: access('submit', { storesUpload: true }),
      schema: {
        tags: ['library'],
        summary: 'Register an avatar (face video)',
        description: 'Checked like a /api/generate upload (type, ffprobe, length, sound unless `voice_id`, face check), re-encoded once if needed; a poster, a preview and its voice are made.',
        docsBody: uploadBody,
        response: {
          201: avatarSchema,
          ...errors({
            400: 'No video, wrong type, empty, unreadable, too long, silent without voice_id, malformed body',
            404: 'voice_id names no voice this key can see',
            413: 'Video over the size limit',
            415: 'Not multipart',
            422: 'The face video cannot be used: no_face, multiple_faces, face_too_small, face_cut_off, video_too_short, frame_rate_out_of_range, resolution_too_low, resolution_too_high (docs/checks.md)',
          }),
        },
      },
    },
    async (req, reply) => {
      const up = await receiveUpload(gw, req, 'video', VIDEO_EXTENSIONS);
      try {
        if (!up.file) throw new ApiError(400, 'video_missing', 'Send the face video in the "video" field');
        const voiceId = up.fields.voice_id?.trim() || null;
        const { check } = await checkVideo(gw, up.file, !voiceId);
        // A client that goes away stops the poster and preview encodes with it.
        const gone = new AbortController();
        reply.raw.once('close', () => reply.raw.writableFinished || gone.abort());
        const avatar = await gw.library.registerAvatar({
          signal: gone.signal,
          upload: up.file,
          name: itemName(up.fields.name, up.fileName, 'Avatar'),
          owner: ownerOf(req),
          voiceId,
          viewer: viewerOf(req),
          faceCheck: { face: check.face, fps: check.fps, width: check.width, height: check.height, rotation: check.rotation, framesSampled: check.frames.length },
        });
        return reply.code(201).send(presentAvatar(avatar));
      } finally {
        if (up.file) await rm(up.file, { force: true });
      }
    },
  );

  app.get(
    '/api/avatars',
    { config: access('read'), schema: { tags: ['library'], summary: 'Avatars this key can use (own and shared), newest first', querystring: pageQuery, response: { 200: listSchema(avatarSchema, 'avatars') } } },
    async (req) => {
      const { limit, offset } = req.query as { limit: number; offset: number };
      const page = await gw.library.list('avatar', viewerOf(req), limit, offset);
      return { items: page.items.map((a) => presentAvatar(a as Avatar)), total: page.total, limit, offset };
    },
  );

  app.get(
    '/api/avatars/:id',
    { config: access('read'), schema: { tags: ['library'], summary: 'One avatar', params: idParams, response: { 200: avatarSchema, ...errors({ 404: 'No such avatar (or another key\u2019s)' }) } } },
    async (req) => presentAvatar(await gw.library.get('avatar', (req.params as { id: string }).id, viewerOf(req))),
  );

  app.patch(
    '/api/avatars/:id',
    { config: access('submit'),
      schema: {
        tags: ['library'],
        summary: 'Rename an avatar, or (admin) share it with every key',
        params: idParams,
        body: nameBody(),
        response: { 200: avatarSchema, ...errors({ 403: 'Another key\u2019s avatar, or sharing without admin', 404: 'No such avatar (or another key\u2019s)' }) },
      },
    },
    async (req) => {
      const b = req.body as { name?: string; shared?: boolean };
      const name = b.name === undefined ? undefined : itemName(b.name, '', 'Avatar');
      return presentAvatar((await gw.library.update('avatar', (req.params as { id: string }).id, viewerOf(req), { name, shared: b.shared })) as Avatar);
    },
  );

  app.delete(
    '/api/avatars/:id',
    { config: access('submit'),
      schema: {
        tags: ['library'],
        summary: 'Delete an avatar and the voice made from its video (refused while unfinished tasks use either)',
        params: idParams,
        response: { 200: deletedSchema, ...errors({ 403: 'Another key\u2019s avatar', 404: 'No such avatar (or another key\u2019s)', 409: 'Queued or running tasks use it (task_ids)' }) },
      },
    },
    async (req) => {
      const id = (req.params as { id: string }).id;
      const gone = await gw.library.delete('avatar', id, viewerOf(req));
      return { success: true, id, voice_id: gone[1] ?? null };
    },
  );

  registerItemFile(app, gw, 'avatar', 'poster.jpg', 'image/jpeg', (a) => a.data.posterKey);
  registerItemFile(app, gw, 'avatar', 'preview.webp', 'image/webp', (a) => a.data.previewKey);
}
