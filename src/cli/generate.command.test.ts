import { describe, expect, it } from 'vitest';
import { progressLine, shortEta } from './generate.command.js';

describe('the progress bar', () => {
  it('shows the ETA and its upper bound while the task runs, nothing once it ended', () => {
    expect(shortEta(7.4)).toBe('~7s');
    expect(shortEta(83)).toBe('~1m23s');
    expect(progressLine({ status: 'queued', phase: 'queued', progress: 0, queue_position: 3, eta_seconds: 83, eta_high: 120 })).toBe(
      `[${'-'.repeat(30)}]   0%  queued #3  ETA ~1m23s (≤2m00s)`,
    );
    expect(progressLine({ status: 'processing', phase: 'rendering', progress: 50, eta_seconds: 9.6, eta_high: 9.6 })).toMatch(/50%  rendering  ETA ~10s$/);
    expect(progressLine({ status: 'completed', phase: 'completed', progress: 100, eta_seconds: null })).toMatch(/100%  completed$/);
  });
});
