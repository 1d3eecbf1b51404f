/**
 * `Idempotency-Key` on the routes that create work (POST /api/generate, POST /api/batches):
 * the same key with the same body within the TTL (24 h) gets the first answer again — same
 * status code, same body, header `Idempotent-Replayed: true` — and creates nothing; the same
 * key with another body is 422 `idempotency_key_reused`. Keys are scoped per API key (owner)
 * and per route.
 *
 * Exactly-once rests on the store's primary key, not on a lock in this process: the first
 * request inserts the key (pending), answers, and saves its answer; a concurrent twin — on
 * this node or another — finds the pending row and waits for that answer. Only successful
 * (2xx) answers are kept: an error releases the key so a corrected retry may use it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyRequest } from 'fastify';
import type { BatchStore, IdempotencyScope } from '../batches/batch-store.js';
import type { Clock } from '../runner/clock.js';
import { ApiError } from './errors.js';

export interface Answer {
  status: number;
  body: unknown;
  /** true when this is a stored answer to an earlier request with the same key. */
  replayed?: boolean;
}

export interface IdempotencyOptions {
  /** How long a key and its answer are kept. @defaultValue 24 h */
  ttlMs: number;
  /** How long a twin waits for the first request's answer before 409. */
  waitMs: number;
}

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
  intake: { videoPath: string | null; publish?: unknown; avatarId?: string | null; voiceId?: string | null; callbackUrl?: string | null; captions?: string | null; language?: string },
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
  return fingerprintOf({ text, publish: intake.publish ?? null, video, ...library, ...callback, ...captions, ...language });
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

export class Idempotency {
  private sweep: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: BatchStore,
    private readonly clock: Clock,
    private readonly o: IdempotencyOptions,
  ) {}

  /**
   * Answer the request once per key: `fingerprint` (lazy: only computed with a key) names the
   * body; `answer` does the work and is skipped when a stored answer exists.
   */
  async run(req: FastifyRequest, scope: string, fingerprint: () => string | Promise<string>, answer: () => Promise<Answer>): Promise<Answer> {
    const key = idempotencyKeyOf(req);
    if (key === null) return answer();
    const s: IdempotencyScope = { owner: req.apiKey?.id ?? '', scope, key };
    const fp = await fingerprint();
    const deadline = Date.now() + this.o.waitMs;
    for (;;) {
      const found = await this.store.claimKey(s, fp, this.clock.now(), this.o.ttlMs);
      if (found === true) return this.answerFirst(s, answer);
      if (found) {
        if (found.fingerprint !== fp) {
          throw new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request body; use a new key for a new request');
        }
        if (found.statusCode !== null && found.response !== null) return { status: found.statusCode, body: JSON.parse(found.response) as unknown, replayed: true };
      }
      // The first request is still being answered (or just released the key): wait for it.
      if (Date.now() > deadline) {
        throw new ApiError(409, 'idempotency_in_progress', 'A request with this Idempotency-Key is still being processed; retry shortly', {}, { 'retry-after': '1' });
      }
      await sleep(50);
    }
  }

  private async answerFirst(s: IdempotencyScope, answer: () => Promise<Answer>): Promise<Answer> {
    let res: Answer;
    try {
      res = await answer();
    } catch (err) {
      await this.store.releaseKey(s);
      throw err;
    }
    if (res.status >= 200 && res.status < 300) await this.store.saveAnswer(s, res.status, JSON.stringify(res.body));
    else await this.store.releaseKey(s);
    return res;
  }

  /** Hourly removal of expired keys (a key past its TTL is also replaced on use). */
  start(intervalMs = 3_600_000): void {
    this.sweep = setInterval(() => void this.store.purgeExpiredKeys(this.clock.now()).catch(() => undefined), intervalMs);
    this.sweep.unref();
  }

  stop(): void {
    clearInterval(this.sweep);
  }
}

/** Send an Answer (replays carry `Idempotent-Replayed: true`). */
export function replyHeaders(a: Answer): Record<string, string> {
  return a.replayed ? { 'idempotent-replayed': 'true' } : {};
}
