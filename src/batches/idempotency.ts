/**
 * `Idempotency-Key` answers for the routes that create work (POST /api/generate, POST
 * /api/batches): the same key with the same body within the TTL (24 h) gets the first answer
 * again — same status code, same body — and creates nothing; the same key with another body is
 * refused (`idempotency_key_reused`). Keys are scoped per API key (owner) and per route. The
 * header itself, the fingerprints and the replay header are read and written in
 * src/http/idempotency.ts.
 *
 * Exactly-once rests on the store's primary key, not on a lock in this process: the first
 * request inserts the key (pending), answers, and saves its answer; a concurrent twin — on
 * this node or another — finds the pending row and waits for that answer. Only successful
 * (2xx) answers are kept: an error releases the key so a corrected retry may use it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '../domain/errors.js';
import type { Clock } from '../tasks/clock.js';
import type { BatchStore, IdempotencyScope } from './batch-store.js';

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

export class Idempotency {
  private sweep: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: BatchStore,
    private readonly clock: Clock,
    private readonly o: IdempotencyOptions,
  ) {}

  /**
   * Answer the request once per key: `request` names the caller (API key id, '' without auth)
   * and its key (null without one: no replay); `fingerprint` (lazy: only computed with a key)
   * names the body; `answer` does the work and is skipped when a stored answer exists.
   */
  async run(
    request: { owner: string; key: string | null },
    scope: string,
    fingerprint: () => string | Promise<string>,
    answer: () => Promise<Answer>,
  ): Promise<Answer> {
    if (request.key === null) return answer();
    const s: IdempotencyScope = { owner: request.owner, scope, key: request.key };
    const fp = await fingerprint();
    const deadline = Date.now() + this.o.waitMs;
    for (;;) {
      const found = await this.store.claimKey(s, fp, this.clock.now(), this.o.ttlMs);
      if (found === true) return this.answerFirst(s, answer);
      if (found) {
        if (found.fingerprint !== fp) {
          throw new DomainError('idempotency_key_reused', 'unprocessable', 'This Idempotency-Key was used with a different request body; use a new key for a new request');
        }
        if (found.statusCode !== null && found.response !== null) return { status: found.statusCode, body: JSON.parse(found.response) as unknown, replayed: true };
      }
      // The first request is still being answered (or just released the key): wait for it.
      if (Date.now() > deadline) {
        throw new DomainError('idempotency_in_progress', 'conflict', 'A request with this Idempotency-Key is still being processed; retry shortly', {}, { retryAfterSeconds: 1 });
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
