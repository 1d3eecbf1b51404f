import { describe, expect, it } from 'vitest';
import { overheadSeconds, phaseTimeline } from './timeline';

const timing = { queue_time: 1, tts_time: 2, video_time: null, total_time: 4 };
const states = (phase: string, status = 'processing') => phaseTimeline({ phase, status, timing }).map((s) => s.state);

describe('phase timeline', () => {
  it('lists queued → preparing → TTS → rendering → collecting → done', () => {
    expect(phaseTimeline({ phase: 'queued', status: 'queued', timing }).map((s) => s.label)).toEqual(['phase.queued', 'phase.preparing', 'phase.tts', 'phase.rendering', 'phase.collecting', 'phase.completed']);
  });
  it('marks done, active and pending steps for each phase', () => {
    expect(states('queued', 'queued')).toEqual(['active', 'pending', 'pending', 'pending', 'pending', 'pending']);
    expect(states('reserved', 'reserved')).toEqual(['done', 'active', 'pending', 'pending', 'pending', 'pending']);
    expect(states('rendering')).toEqual(['done', 'done', 'done', 'active', 'pending', 'pending']);
    expect(states('collecting')).toEqual(['done', 'done', 'done', 'done', 'active', 'pending']);
    expect(states('completed', 'completed')).toEqual(Array(6).fill('done'));
  });
  it('shows the time of each timed step, and the total on Done', () => {
    const steps = phaseTimeline({ phase: 'completed', status: 'completed', timing: { ...timing, video_time: 0.5 } });
    expect(steps.map((s) => s.seconds)).toEqual([1, null, 2, 0.5, null, 4]);
    expect(phaseTimeline({ phase: 'tts', status: 'processing', timing }).at(-1)!.seconds).toBeNull();
  });
  it('ends a failed or canceled task with that outcome, keeping the steps it finished', () => {
    const failed = phaseTimeline({ phase: 'failed', status: 'failed', timing });
    expect(failed.map((s) => s.state)).toEqual(['done', 'done', 'done', 'pending', 'pending', 'failed']);
    expect(phaseTimeline({ phase: 'canceled', status: 'canceled', timing: { ...timing, queue_time: null, tts_time: null } }).map((s) => s.state)).toEqual([...Array(5).fill('pending'), 'failed']);
    expect(failed.at(-1)).toMatchObject({ label: 'phase.failed', seconds: 4 });
    expect(phaseTimeline({ phase: 'canceled', status: 'canceled', timing }).at(-1)!.label).toBe('phase.canceled');
  });
  it('attributes the untimed rest of the total to preparing + collecting', () => {
    expect(overheadSeconds({ queue_time: 1, tts_time: 2, video_time: 3, total_time: 6.5 })).toBe(0.5);
    expect(overheadSeconds({ queue_time: 1, tts_time: 2, video_time: 3, total_time: 5.9 })).toBe(0); // rounding never goes negative
    expect(overheadSeconds(timing)).toBeNull();
  });
});
