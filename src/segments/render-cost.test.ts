import { describe, expect, it } from 'vitest';
import { RenderCost } from './render-cost.js';

const render = (speech: number, renderSec: number, segmentCount: number | null = null) => ({ segmentCount, audioDurationSec: speech, renderStartedAt: 1_000, renderEndedAt: 1_000 + renderSec * 1000 });

describe('render cost', () => {
  it('finds the fixed cost of a job next to the cost per speech second', () => {
    const c = new RenderCost();
    for (const s of [2, 4, 6, 8, 10, 12, 5, 7, 9, 3]) c.observe(render(s, 3 + 1.5 * s + (s % 2 ? 0.2 : -0.2)));
    const f = c.fit()!;
    expect(f.perJobSec).toBeCloseTo(3, 0);
    expect(f.perSpeechSec).toBeCloseTo(1.5, 1);
    expect(c.minSegmentSeconds()).toBeCloseTo((3 * 3) / 1.5, 0); // three jobs' fixed cost of render
  });

  it('no floor for renders proportional to speech, before enough renders, or without spread', () => {
    const prop = new RenderCost();
    for (const s of [2, 4, 6, 8, 10, 12, 5, 7, 9, 3]) prop.observe(render(s, 1.2 * s));
    expect(prop.minSegmentSeconds()).toBeLessThan(0.01);
    const few = new RenderCost();
    for (const s of [2, 4, 6]) few.observe(render(s, 5 + s));
    expect(few.minSegmentSeconds()).toBe(0);
    const same = new RenderCost();
    for (let i = 0; i < 10; i++) same.observe(render(5, 8 + (i % 3)));
    expect(same.minSegmentSeconds()).toBe(0);
  });

  it('ignores parents of long scripts (their render is the stitch)', () => {
    const c = new RenderCost();
    for (const s of [2, 4, 6, 8, 10, 12, 5, 7, 9, 3]) c.observe(render(s, 60, 4));
    expect(c.fit()).toBeNull();
  });
});
