/**
 * /api/voices: register a voice from an audio file, a video, or an avatar (JSON
 * `{avatar_id}`), with an optional transcript; list, read, rename / share / edit the
 * transcript, delete (refused while unfinished tasks use it). docs/avatars.md.
 */
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../gateway.js';
import type { Voice } from '../../library/library.js';
import { idField, viewerOf } from '../fields/library.js';
import { ownerOf } from '../access.js';
import { ApiError } from '../errors.js';
import { VIDEO_EXTENSIONS } from './generate.route.js';
import { deletedSchema, errors, idParams, itemName, listSchema, nameBody, pageQuery, presentVoice, receiveUpload, registerItemFile, voiceSchema } from './library-common.js';
import { access } from '../security.js';

export const AUDIO_EXTENSIONS = ['.wav', '.mp3', '.m4a', '.ogg', '.flac'];
const MAX_REFERENCE_TEXT = 2000;

const registerBody = {
  description: 'A voice from an audio or video file (multipart), or from an avatar (JSON)',
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        properties: {
          audio: { type: 'string', format: 'binary', description: 'wav, mp3, m4a, ogg, flac, or a video (mp4, avi, mov, mkv) with the voice' },
          name: { type: 'string' },
          reference_text: { type: 'string', description: 'What is said in the clip (helps cloning)' },
        },
        required: ['audio'],
      },
    },
    'application/json': {
      schema: {
        type: 'object',
        properties: { avatar_id: { type: 'string' }, name: { type: 'string' }, reference_text: { type: 'string' } },
        required: ['avatar_id'],
      },
    },
  },
};

function referenceText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new ApiError(400, 'reference_text_invalid', 'reference_text must be a string');
  if (v.length > MAX_REFERENCE_TEXT) throw new ApiError(400, 'reference_text_too_long', `reference_text is longer than ${MAX_REFERENCE_TEXT} characters`);
  return v.trim();
}

export function registerVoiceRoutes(app: FastifyInstance, gw: Gateway): void {
  app.post(
    '/api/voices',
    { config: access('submit', { storesUpload: true }),
      schema: {
        tags: ['library'],
        summary: 'Register a voice',
        docsBody: registerBody,
        response: {
          201: voiceSchema,
          ...errors({
            400: 'No file or avatar_id, wrong type, empty, no audio, too short, malformed body',
            404: 'avatar_id names no avatar this key can see',
            413: 'File over the size limit',
            415: 'Neither multipart nor JSON',
            502: 'The TTS container could not preprocess it (library.preprocessVoices)',
          }),
        },
      },
    },
    async (req, reply) => {
      const viewer = viewerOf(req);
      if (!req.isMultipart()) {
        const body = (req.body ?? {}) as Record<string, unknown>;
        const avatarId = idField(body, 'avatar_id');
        if (!avatarId) throw new ApiError(400, 'voice_source_missing', 'Send an audio or video file (multipart "audio") or JSON {"avatar_id"}');
        const name = itemName(typeof body.name === 'string' ? body.name : undefined, '', 'Voice');
        const voice = await gw.library.registerVoice({ avatarId, name, referenceText: referenceText(body.reference_text), owner: ownerOf(req), viewer });
        return reply.code(201).send(presentVoice(voice));
      }
      const up = await receiveUpload(gw, req, 'audio', [...AUDIO_EXTENSIONS, ...VIDEO_EXTENSIONS]);
      if (!up.file) throw new ApiError(400, 'voice_source_missing', 'Send the voice in the "audio" field');
      const voice = await gw.library.registerVoice({
        upload: up.file,
        name: itemName(up.fields.name, up.fileName, 'Voice'),
        referenceText: referenceText(up.fields.reference_text),
        owner: ownerOf(req),
        viewer,
      });
      return reply.code(201).send(presentVoice(voice));
    },
  );

  app.get(
    '/api/voices',
    { config: access('read'), schema: { tags: ['library'], summary: 'Voices this key can use (own and shared), newest first', querystring: pageQuery, response: { 200: listSchema(voiceSchema, 'voices') } } },
    async (req) => {
      const { limit, offset } = req.query as { limit: number; offset: number };
      const page = await gw.library.list('voice', viewerOf(req), limit, offset);
      return { items: page.items.map((v) => presentVoice(v as Voice)), total: page.total, limit, offset };
    },
  );

  app.get(
    '/api/voices/:id',
    { config: access('read'), schema: { tags: ['library'], summary: 'One voice', params: idParams, response: { 200: voiceSchema, ...errors({ 404: 'No such voice (or another key\u2019s)' }) } } },
    async (req) => presentVoice(await gw.library.get('voice', (req.params as { id: string }).id, viewerOf(req))),
  );

  app.patch(
    '/api/voices/:id',
    { config: access('submit'),
      schema: {
        tags: ['library'],
        summary: 'Rename a voice, edit its transcript, or (admin) share it',
        params: idParams,
        body: nameBody({ reference_text: { type: 'string', maxLength: MAX_REFERENCE_TEXT } }),
        response: { 200: voiceSchema, ...errors({ 403: 'Another key\u2019s voice, or sharing without admin', 404: 'No such voice (or another key\u2019s)' }) },
      },
    },
    async (req) => {
      const b = req.body as { name?: string; shared?: boolean; reference_text?: string };
      const name = b.name === undefined ? undefined : itemName(b.name, '', 'Voice');
      const patch = { name, shared: b.shared, referenceText: b.reference_text === undefined ? undefined : referenceText(b.reference_text) };
      return presentVoice((await gw.library.update('voice', (req.params as { id: string }).id, viewerOf(req), patch)) as Voice);
    },
  );

  app.delete(
    '/api/voices/:id',
    { config: access('submit'),
      schema: {
        tags: ['library'],
        summary: 'Delete a voice (refused while unfinished tasks use it)',
        params: idParams,
        response: { 200: deletedSchema, ...errors({ 403: 'Another key\u2019s voice', 404: 'No such voice (or another key\u2019s)', 409: 'Queued or running tasks use it (task_ids)' }) },
      },
    },
    async (req) => {
      const id = (req.params as { id: string }).id;
      await gw.library.delete('voice', id, viewerOf(req));
      return { success: true, id };
    },
  );

  registerItemFile(app, gw, 'voice', 'sample.wav', 'audio/wav', (v) => v.data.sampleKey);
}
