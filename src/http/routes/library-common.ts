/**
 * What the avatar and voice routes share: receiving one uploaded file (streamed to a
 * gateway-chosen name, bounded, removed on any rejection), names, paging, presenters, schemas,
 * and the routes that send an item's files (poster, preview, sample).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Gateway } from '../../gateway.js';
import type { Avatar, LibraryKind, Voice } from '../../library/library.js';
import { viewerOf } from '../fields/library.js';
import { formatBytes } from '../../maintenance/disk-space.js';
import { ApiError, errorBodySchema } from '../errors.js';
import { multipartFault } from './generate.route.js';
import { access } from '../security.js';

type Json = Record<string, unknown>;

export interface Received {
  /** Where the file was streamed (under library/incoming/), null when none was sent. */
  file: string | null;
  fileName: string;
  fields: Record<string, string>;
}

/**
 * Read a multipart body with at most one file in `fileField` (extension in `extensions`).
 * The file is removed again when anything is wrong (type, size, empty, malformed body).
 */
export async function receiveUpload(gw: Gateway, req: FastifyRequest, fileField: string, extensions: readonly string[]): Promise<Received> {
  if (!req.isMultipart()) throw new ApiError(415, 'unsupported_media_type', 'Send multipart/form-data');
  const got: Received = { file: null, fileName: '', fields: {} };
  try {
    await (async () => {
      for await (const part of req.parts()) {
        if (part.type !== 'file') {
          if (part.valueTruncated) throw new ApiError(400, 'field_too_long', `Field "${part.fieldname.slice(0, 40)}" is too long`);
          got.fields[part.fieldname] = typeof part.value === 'string' ? part.value : String(part.value ?? '');
          continue;
        }
        if (part.fieldname !== fileField || got.file) {
          part.file.resume();
          throw new ApiError(400, 'unexpected_file', `Send one file, in the "${fileField}" field`);
        }
        const ext = extname(part.filename ?? '').toLowerCase();
        if (!extensions.includes(ext)) {
          part.file.resume();
          throw new ApiError(400, 'file_type_invalid', `Unsupported file type (allowed: ${extensions.map((e) => e.slice(1)).join(', ')})`, { allowed: extensions.map((e) => e.slice(1)) });
        }
        got.file = await gw.library.incomingPath(ext);
        got.fileName = part.filename ?? '';
        await pipeline(part.file, createWriteStream(got.file));
        if (part.file.truncated) throw new ApiError(413, 'upload_too_large', `File is larger than the ${formatBytes(gw.config.limits.maxUploadBytes)} limit`);
      }
    })().catch(multipartFault);
    if (got.file && (await stat(got.file)).size === 0) throw new ApiError(400, 'file_empty', 'The uploaded file is empty (0 bytes)');
    return got;
  } catch (err) {
    if (got.file) await rm(got.file, { force: true });
    throw err;
  }
}

/** A display name: the given one, else the file name without extension; no control characters. */
export function itemName(given: string | undefined, fileName: string, fallback: string): string {
  const raw = (given ?? '').trim() || fileName.replace(/\.[^.]*$/, '').trim() || fallback;
  // eslint-disable-next-line no-control-regex
  const name = raw.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 80);
  return name || fallback;
}

export const nameBody = (extra: Record<string, Json> = {}): Json => ({
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 80 },
    shared: { type: 'boolean', description: 'Visible to every API key (admin only)' },
    ...extra,
  },
  additionalProperties: false,
});

export const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 100 } }, required: ['id'] } as const;
export const pageQuery = {
  type: 'object',
  properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, offset: { type: 'integer', minimum: 0, default: 0 } },
  additionalProperties: false,
} as const;

const iso = (ms: number) => new Date(ms).toISOString();
const common = { type: 'object', additionalProperties: true } as const;
const nullable = (type: string): Json => ({ type: [type, 'null'] });

export const avatarSchema: Json = {
  ...common,
  description: 'An avatar: a face video registered once and used by id',
  required: ['id', 'name', 'shared', 'owner', 'voice_id', 'duration_sec', 'width', 'height', 'bytes', 'transcoded', 'poster_url', 'preview_url', 'created_time', 'updated_time'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    shared: { type: 'boolean' },
    owner: { ...nullable('string'), description: 'API key id that registered it (null with auth off)' },
    voice_id: { ...nullable('string'), description: 'Its voice in the library (extracted from the video, or the one named at upload)' },
    duration_sec: { type: 'number' },
    width: nullable('integer'),
    height: nullable('integer'),
    bytes: { type: 'integer' },
    transcoded: { type: 'boolean', description: 'Re-encoded once to H.264/AAC MP4 at upload' },
    poster_url: { type: 'string' },
    preview_url: { type: 'string', description: 'A short silent animated WebP' },
    face_check: {
      type: ['object', 'null'],
      additionalProperties: false,
      description: 'What the face check found at registration (docs/checks.md); null for avatars registered before it existed',
      properties: {
        face: {
          type: ['object', 'null'],
          additionalProperties: false,
          description: 'The speaker\u2019s face box as shares (0..1) of the displayed frame; null when checks.face was off',
          properties: { x: { type: 'number' }, y: { type: 'number' }, w: { type: 'number' }, h: { type: 'number' }, score: { type: 'number' } },
        },
        fps: { type: 'number' },
        width: { type: 'integer', description: 'Displayed width (rotation applied)' },
        height: { type: 'integer' },
        rotation: { type: 'integer', description: 'Rotation metadata of the upload, in degrees' },
        frames_sampled: { type: 'integer' },
      },
    },
    created_time: { type: 'string' },
    updated_time: { type: 'string' },
  },
};

export const voiceSchema: Json = {
  ...common,
  description: 'A voice: a reference clip (and its transcript) the TTS clones',
  required: ['id', 'name', 'shared', 'owner', 'source', 'source_avatar_id', 'duration_sec', 'reference_text', 'preprocessed', 'sample_url', 'created_time', 'updated_time'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    shared: { type: 'boolean' },
    owner: nullable('string'),
    source: { type: 'string', enum: ['audio', 'video', 'avatar'] },
    source_avatar_id: nullable('string'),
    duration_sec: { type: 'number' },
    reference_text: { type: 'string', description: 'Transcript passed to the TTS as reference_text' },
    preprocessed: { type: 'boolean', description: 'Normalized by the TTS container\u2019s /v1/preprocess_and_tran' },
    sample_url: { type: 'string' },
    created_time: { type: 'string' },
    updated_time: { type: 'string' },
  },
};

export const listSchema = (item: Json, what: string): Json => ({
  ...common,
  description: `A page of ${what}, newest first`,
  required: ['items', 'total', 'limit', 'offset'],
  properties: { items: { type: 'array', items: item }, total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' } },
});

export const deletedSchema: Json = {
  ...common,
  description: 'Deleted',
  required: ['success', 'id'],
  properties: { success: { type: 'boolean' }, id: { type: 'string' }, voice_id: { type: ['string', 'null'], description: 'An avatar: its own voice (made from its video), deleted with it; null when it had none' } },
};

export const errors = (d: Record<number, string>): Record<number, Json> =>
  Object.fromEntries(Object.entries(d).map(([code, description]) => [code, { ...errorBodySchema, description }]));

/** Keys a task summary gets from the library: its avatar and poster (null without one). */
export function avatarFields(avatarId: string | undefined): Json {
  return { avatar_id: avatarId ?? null, poster_url: avatarId ? `/api/avatars/${avatarId}/poster.jpg` : null };
}

export function presentAvatar(a: Avatar): Json {
  const d = a.data;
  return {
    id: a.id,
    name: a.name,
    shared: a.shared,
    owner: a.owner,
    voice_id: d.voiceId,
    duration_sec: Math.round(d.durationSec * 100) / 100,
    width: d.width,
    height: d.height,
    bytes: d.bytes,
    transcoded: d.transcoded,
    poster_url: `/api/avatars/${a.id}/poster.jpg`,
    preview_url: `/api/avatars/${a.id}/preview.webp`,
    face_check: d.faceCheck ? { face: d.faceCheck.face, fps: d.faceCheck.fps, width: d.faceCheck.width, height: d.faceCheck.height, rotation: d.faceCheck.rotation, frames_sampled: d.faceCheck.framesSampled } : null,
    created_time: iso(a.createdAt),
    updated_time: iso(a.updatedAt),
  };
}

export function presentVoice(v: Voice): Json {
  const d = v.data;
  return {
    id: v.id,
    name: v.name,
    shared: v.shared,
    owner: v.owner,
    source: d.source,
    source_avatar_id: d.sourceAvatarId,
    duration_sec: Math.round(d.durationSec * 100) / 100,
    reference_text: d.referenceText,
    preprocessed: d.preprocessed,
    sample_url: `/api/voices/${v.id}/sample.wav`,
    created_time: iso(v.createdAt),
    updated_time: iso(v.updatedAt),
  };
}

/** GET /api/<kind>s/:id/<file>: an item's file, to whoever may see the item. */
export function registerItemFile<K extends LibraryKind>(
  app: FastifyInstance,
  gw: Gateway,
  kind: K,
  file: string,
  type: string,
  keyOf: (item: K extends 'avatar' ? Avatar : Voice) => string,
): void {
  app.get(
    `/api/${kind}s/:id/${file}`,
    { config: access('read', { tokenInQuery: true }), schema: { tags: ['library'], summary: `The ${kind}'s ${file}`, params: idParams, response: errors({ 404: `No such ${kind} (or another key\u2019s)` }) } },
    async (req, reply) => {
      const item = await gw.library.get(kind, (req.params as { id: string }).id, viewerOf(req));
      // Files never change under an id: browsers may keep them.
      return reply.header('cache-control', 'private, max-age=86400').type(type).sendFile(keyOf(item), gw.paths.root);
    },
  );
}
