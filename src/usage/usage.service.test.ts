import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.js';
import type { UsageStore } from './usage-store.js';
import { UsageService } from './usage.service.js';
import type { Budget, UsageTotals } from './usage.js';

const used = (videoSec: number): UsageTotals => ({ videoSec, ttsSec: videoSec / 2, renderSec: videoSec / 2, gpuSec: videoSec, videos: 1 });

function service(done: number, pending: number, budget: Budget): UsageService {
  const store = { totals: async () => used(done), budget: async () => budget } as unknown as UsageStore;
  return new UsageService(store, { budgets: {} }, { now: () => Date.UTC(2026, 11, 7) }, pino({ level: 'silent' }), async () => pending);
}

const refusal = (p: Promise<unknown>) => p.then(() => null, (err: unknown) => (err instanceof DomainError ? err : Promise.reject(err)));

describe('budgets count accepted work from the moment it is accepted', () => {
  const budget = { maxVideoSecondsPerMonth: 60, maxGpuSecondsPerMonth: null };

  it('admits a submit that fits beside finished and queued work', async () => {
    expect(await refusal(service(20, 30, budget).admit('k1', 9))).toBeNull();
  });

  it('refuses one that fits the finished work alone but not with the queued work, and says how much is queued', async () => {
    const err = await refusal(service(20, 30, budget).admit('k1', 11));
    expect(err?.code).toBe('budget_exceeded');
    expect(err?.details).toMatchObject({ budget: 'video', pending_video_seconds: 30, left: { video_seconds: 40 } });
    expect(err?.message).toContain('30 s more are queued or rendering');
  });

  it('asks nothing of a key without a budget, or of work without a key', async () => {
    const none = new UsageService({ totals: async () => used(0), budget: async () => undefined } as unknown as UsageStore, { budgets: {} }, { now: () => 0 }, pino({ level: 'silent' }), async () => {
      throw new Error('not asked');
    });
    await expect(none.admit('k1', 1e9)).resolves.toBeUndefined();
    await expect(none.admit(null, 1e9)).resolves.toBeUndefined();
  });
});
