import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.js';
import type { TaskStore } from '../store/task-store.js';
import { Admission } from './admission.js';

/** Only what Admission reads: the queue size and the claims in the window. */
function admission(queued: number, claimsInWindow: number, maxQueued: number): Admission {
  const tasks = { queueSize: async () => queued } as unknown as TaskStore;
  return new Admission(tasks, { claimsSince: async () => claimsInWindow }, { now: () => 1_000_000 }, { maxQueued, drainWindowMs: 60_000 });
}

async function refusal(a: Admission, incoming: number): Promise<DomainError> {
  const err = await a.admit(incoming).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof DomainError)) throw new Error('expected a refusal');
  return err;
}

describe('Admission (queue limit + Retry-After)', () => {
  it('admits up to the limit; no limit when 0', async () => {
    await expect(admission(9, 0, 10).admit(1)).resolves.toBeUndefined();
    await expect(admission(1_000_000, 0, 0).admit(500)).resolves.toBeUndefined();
  });

  it('refuses past the limit with Retry-After = excess / measured drain rate', async () => {
    // 120 claims a minute = 2/s; 10 queued + 5 incoming over a limit of 10 → 5 excess → 3 s
    const err = await refusal(admission(10, 120, 10), 5);
    expect(err.kind).toBe('unavailable');
    expect(err.code).toBe('queue_full');
    expect(err.retryAfterSeconds).toBe(3);
    expect(err.details).toMatchObject({ queued: 10, limit: 10, retry_after_seconds: 3 });
    // a slower drain → a later retry; never below 1 s, never above an hour
    expect((await refusal(admission(10, 6, 10), 5)).retryAfterSeconds).toBe(50);
    expect((await refusal(admission(10, 6000, 10), 1)).retryAfterSeconds).toBe(1);
    expect((await refusal(admission(100_000, 1, 10), 1)).retryAfterSeconds).toBe(3600);
  });

  it('with nothing drained in the window it says a minute', async () => {
    expect((await refusal(admission(10, 0, 10), 1)).retryAfterSeconds).toBe(60);
  });
});
