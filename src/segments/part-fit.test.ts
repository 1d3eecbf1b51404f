import { describe, expect, it } from 'vitest';
import { describeFit, planFit, targetFrames } from './part-fit.js';

const FPS = 25;
/** `n` frames in display order (no reordering). */
const straight = (n: number) => Array.from({ length: n }, (_, i) => i / FPS);
/** `n` frames as an encoder with B-frames stores them: I P B B P B B … (decode order). */
const withBFrames = (n: number) => {
  const order: number[] = [0];
  for (let p = 3; p < n + 3; p += 3) {
    if (p < n) order.push(p);
    for (let b = p - 2; b < Math.min(p, n); b++) order.push(b);
  }
  return order.map((i) => i / FPS);
};

describe('planFit', () => {
  it('a part as long as its speech is left alone', () => {
    expect(planFit({ fps: FPS, pts: straight(100) }, 4, 0.5)).toEqual({ kind: 'exact', frames: 100 });
  });

  it('a longer part is cut by a stream copy when its first frames need nothing after the cut', () => {
    expect(planFit({ fps: FPS, pts: straight(105) }, 4, 0.5)).toEqual({ kind: 'cut', frames: 100, from: 105 });
  });

  it('a longer part whose frames are reordered across the cut is re-encoded', () => {
    const pts = withBFrames(104);
    expect(pts).toHaveLength(104);
    // packet 100 in decode order is frame 102 on screen: the first 101 packets are not frames 0…100
    expect(planFit({ fps: FPS, pts }, 101 / FPS, 0.5)).toMatchObject({ kind: 'encode', frames: 101, reason: 'reordered' });
    // cut where a group of pictures closes (after frame 99): a copy again
    expect(planFit({ fps: FPS, pts }, 4, 0.5)).toMatchObject({ kind: 'cut', frames: 100 });
  });

  it('a short part is padded (its last frame held, re-encoded)', () => {
    expect(planFit({ fps: FPS, pts: straight(98) }, 4, 0.5)).toEqual({ kind: 'encode', frames: 100, from: 98, reason: 'short' });
  });

  it('a part off by more than the tolerance is a bad render, either way', () => {
    const long = planFit({ fps: FPS, pts: straight(150) }, 4, 0.5);
    expect(long).toMatchObject({ kind: 'bad', frames: 100, from: 150 });
    expect(describeFit(long, FPS)).toBe('6.00 s of video for 4.00 s of speech (+2.00 s)');
    expect(planFit({ fps: FPS, pts: straight(50) }, 4, 0.5)).toMatchObject({ kind: 'bad', offSec: -2 });
    // just inside the tolerance is only rounding
    expect(planFit({ fps: FPS, pts: straight(112) }, 4, 0.5)).toMatchObject({ kind: 'cut' });
  });

  it('speech that is not whole frames rounds to the nearest frame', () => {
    expect(targetFrames(4.019, FPS)).toBe(100);
    expect(targetFrames(4.021, FPS)).toBe(101);
    expect(targetFrames(0.001, FPS)).toBe(1);
  });
});
