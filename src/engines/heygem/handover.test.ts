import { describe, expect, it } from 'vitest';
import { Handover } from './handover.js';

describe('handover', () => {
  it('releases every waiting collector at the next submit', async () => {
    const h = new Handover();
    const order: string[] = [];
    const a = h.wait(60_000, new AbortController().signal).then(() => order.push('a'));
    const b = h.wait(60_000, new AbortController().signal).then(() => order.push('b'));
    h.submitted();
    await Promise.all([a, b]);
    expect(order.sort()).toEqual(['a', 'b']);
  });
  it('is bounded (nothing queued) and gives way to an abort', async () => {
    const h = new Handover();
    await h.wait(1, new AbortController().signal);
    const ac = new AbortController();
    const w = h.wait(60_000, ac.signal);
    ac.abort();
    await w;
    await h.wait(0, new AbortController().signal);
    h.submitted(); // no waiters left: nothing to do
  });
});
