/**
 * For every submit path (POST /api/generate, batches): `avatar_id` / `voice_id` fields of a
 * request → the library items the task will use, checked against the caller's key; then
 * `attach` them to the new task id before the task row is created (so no runner can claim it
 * without them).
 */
import type { FastifyRequest } from 'fastify';
import { hasScope } from '../../security/api-keys.js';
import { ApiError } from '../errors.js';
import type { TaskLibraryRefs } from '../../library/library.js';
import type { LibraryService } from '../../library/library.service.js';
import type { Viewer } from '../../library/viewer.js';

export function viewerOf(req: FastifyRequest): Viewer {
  const key = req.apiKey;
  return key ? { keyId: key.id, admin: hasScope(key, 'admin') } : { keyId: null, admin: true };
}

/** A string id field or nothing; anything else (a number, a repeated key) is a 400. */
export function idField(body: unknown, name: 'avatar_id' | 'voice_id'): string | null {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') throw new ApiError(400, `${name}_invalid`, `${name} must be a single string id`);
  return v.trim();
}

export async function resolveLibraryInputs(
  library: LibraryService,
  viewer: Viewer,
  fields: { avatar_id?: unknown; voice_id?: unknown },
  hasUpload = false,
): Promise<TaskLibraryRefs> {
  return library.resolveForTask(viewer, { avatarId: idField(fields, 'avatar_id'), voiceId: idField(fields, 'voice_id'), hasUpload });
}
