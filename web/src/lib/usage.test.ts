import { describe, expect, it } from 'vitest';
import { axisTicks, fillDays } from './usage';

describe('usage chart', () => {
  it('has a bar group for every day of the window', () => {
    const days = fillDays([{ day: '2026-12-02', video_seconds: 3, gpu_seconds: 9 }], '2026-12-01', '2026-12-04');
    expect(days.map((d) => [d.day, d.video_seconds])).toEqual([['2026-12-01', 0], ['2026-12-02', 3], ['2026-12-03', 0]]);
  });

  it('puts round ticks up to the highest value', () => {
    expect(axisTicks(37)).toEqual([0, 10, 20, 30, 40]);
    expect(axisTicks(0.7)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(axisTicks(0)).toEqual([0, 1]);
  });
});
