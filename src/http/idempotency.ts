/**
 * `Idempotency-Key` on the routes that create work (POST /api/generate, POST /api/batches):
 * the same key with the same body within the TTL (24 h) gets the first answer again — same
 * status code, same body, header `Idempotent-Replayed: true` — and creates nothing; the same
 * key with another body is 422 `idempotency_key_reused`. Keys are scoped per API key (owner)
 * and per route.
 *
 * This file is the HTTP side: the header, the request fingerprints and the replay header; the
 * store of keys and answers (exactly once, across nodes) is src/batches/idempotency.ts.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FastifyRequest } from 'fastify';
import type { Answer } from '../batches/idempotency.js';
import { ApiError } from './errors.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** sha256 of a canonical JSON form (object keys sorted), so key order does not matter. */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/**
 * What a generate request asks for: the text, the publish field and the video's content hash
 * (hashed from the saved upload, so a retry with a new multipart boundary still matches).
 */
export async function generateFingerprint(
  text: string,
  intake: { videoPath: string | null; publish?: unknown; avatarId?: string | null; voiceId?: string | null; callbackUrl?: string | null; captions?: string | null; language?: string; output?: { outputOptions: unknown; captionStyle: unknown } },
): Promise<string> {
  let video: string | null = null;
  if (intake.videoPath) {
    const h = createHash('sha256');
    for await (const chunk of createReadStream(intake.videoPath)) h.update(chunk as Buffer);
    video = h.digest('hex');
  }
  // Library ids and callback only when given, so a request without them fingerprints as before.
  const library = intake.avatarId || intake.voiceId ? { avatar: intake.avatarId ?? null, voice: intake.voiceId ?? null } : {};
  const callback = intake.callbackUrl ? { callback: intake.callbackUrl } : {};
  const captions = intake.captions && intake.captions !== 'off' ? { captions: intake.captions } : {};
  const language = intake.language && intake.language !== 'auto' ? { language: intake.language } : {};
  const output = intake.output && (intake.output.outputOptions || intake.output.captionStyle) ? { output: intake.output } : {};
  return fingerprintOf({ text, publish: intake.publish ?? null, video, ...library, ...callback, ...captions, ...language, ...output });
}

/** The request's key, or null without the header; 400 for an unusable one. */
export function idempotencyKeyOf(req: FastifyRequest): string | null {
  const raw = req.headers['idempotency-key'];
  if (raw === undefined) return null;
  if (typeof raw !== 'string' || !KEY_PATTERN.test(raw)) {
    throw new ApiError(400, 'idempotency_key_invalid', 'Idempotency-Key must be 1–255 visible ASCII characters');
  }
  return raw;
}

/** Who asks and with which key: what Idempotency.run needs from a request (400 for an unusable key). */
export function idempotencyOf(req: FastifyRequest): { owner: string; key: string | null } {
  return { owner: req.apiKey?.id ?? '', key: idempotencyKeyOf(req) };
}

/** Send an Answer (replays carry `Idempotent-Replayed: true`). */
export function replyHeaders(a: Answer): Record<string, string> {
  return a.replayed ? { 'idempotent-replayed': 'true' } : {};
}
