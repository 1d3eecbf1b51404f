/**
 * Background work that must not be lost to a database outage — a worker's move of its own
 * attempt, the end of an attempt — waits the outage out instead of failing: while the store is
 * away (src/store/unavailable.ts) the write is tried again with capped exponential backoff and
 * jitter, until it lands, fails for another reason, or the attempt is aborted (a shutdown, a
 * cancel). Anything that is not an outage is thrown at once. Logs the first failure and the
 * recovery, not every try (docs/operations.md, "When the database goes away").
 */
import type { Logger } from '../logger.js';
import { isStoreUnavailable } from '../store/unavailable.js';

export interface StoreRetryOptions {
  /** What is being written, for the log (e.g. "move to collecting"). */
  what: string;
  log?: Logger;
  /** Log fields (task id, attempt, slot). */
  fields?: Record<string, unknown>;
  /** Stop waiting when this aborts: the abort reason is thrown. */
  signal?: AbortSignal;
  /** First delay and cap of the backoff (ms). @defaultValue 250, 5000 */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Called before each new try after an outage error (e.g. to note that a retry happened). */
  onRetry?: (tries: number) => void;
}

/**
 * The longest a live holder waits between two tries while the store (or its gateway) is away:
 * the cap of this backoff and of a remote runner's (src/runners/runner-api.client.ts). The
 * reaper's wait after a start or an outage covers it (src/runner/scheduler.ts).
 */
export const HOLDER_RETRY_MAX_DELAY_MS = 5000;

/** Capped exponential backoff with jitter: between half and all of min·2^(n−1), at most max. */
export function storeRetryDelayMs(tries: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const cap = Math.min(maxMs, minMs * 2 ** Math.min(20, Math.max(0, tries - 1)));
  return Math.round(cap / 2 + random() * (cap / 2));
}

export async function untilStored<T>(write: () => Promise<T>, o: StoreRetryOptions): Promise<T> {
  let tries = 0;
  const startedAt = Date.now();
  for (;;) {
    o.signal?.throwIfAborted();
    try {
      const out = await write();
      if (tries > 0) o.log?.info({ ...o.fields, tries, waitedMs: Date.now() - startedAt }, `store reachable again: ${o.what} stored`);
      return out;
    } catch (err) {
      if (!isStoreUnavailable(err)) throw err;
      tries++;
      if (tries === 1) o.log?.warn({ ...o.fields, err: (err as Error).message }, `store unreachable: ${o.what} will be retried until it is back`);
      await sleep(storeRetryDelayMs(tries, o.minDelayMs ?? 250, o.maxDelayMs ?? HOLDER_RETRY_MAX_DELAY_MS), o.signal);
      o.onRetry?.(tries);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
