import { describe, expect, it } from 'vitest';
import { checkVideoFile, fieldForError, formatAge, formatSeconds } from './format';
import { mergeTask } from './live';
import { phaseTimeline } from './timeline';
import type { TaskSummary } from './types';

const row = (id: string, status: string, extra: Partial<TaskSummary> = {}): TaskSummary => ({
  task_id: id, status, phase: status, progress: 0, gpu_id: null, queue_position: null, text: `text ${id}`, error: null, error_code: null,
  created_time: '2026-01-01T00:00:00Z', finished_time: null, timing: { queue_time: null, tts_time: null, video_time: null, total_time: null }, result_url: null, ...extra,
});

describe('format', () => {
  it('formats durations and ages', () => {
    expect(formatSeconds(0.25)).toBe('250 ms');
    expect(formatSeconds(12.34)).toBe('12.3 s');
    expect(formatSeconds(125)).toBe('2 min 5 s');
    expect(formatSeconds(null)).toBe('—');
    expect(formatAge('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:05:00Z'))).toBe('5 min ago');
  });
  it('maps API error codes to the field they concern', () => {
    expect(fieldForError('text_missing')).toBe('text');
    expect(fieldForError('video_no_audio')).toBe('video');
    expect(fieldForError('upload_too_large')).toBe('video');
    expect(fieldForError('rate_limited')).toBe('form');
  });
  it('checks a chosen file by type and size', () => {
    expect(checkVideoFile({ name: 'a.MP4', size: 10 }, ['mp4'], 100)).toBeNull();
    expect(checkVideoFile({ name: 'a.gif', size: 10 }, ['mp4'], 100)).toMatch(/Unsupported/);
    expect(checkVideoFile({ name: 'a.mp4', size: 1000 }, ['mp4'], 100)).toMatch(/limit/);
  });
});

describe('phase timeline', () => {
  const timing = { queue_time: 1, tts_time: 2, video_time: null, total_time: null };
  it('marks done, active and pending steps', () => {
    const steps = phaseTimeline({ phase: 'rendering', status: 'processing', timing });
    expect(steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'active', 'pending']);
    expect(steps[2].seconds).toBe(2);
  });
  it('shows a failure at the end', () => {
    const steps = phaseTimeline({ phase: 'failed', status: 'failed', timing });
    expect(steps.at(-1)).toMatchObject({ label: 'Failed', state: 'failed' });
  });
});

describe('live merge', () => {
  const all = () => true;
  it('updates rows in place and keeps queue positions of queued rows', () => {
    const rows = [row('a', 'queued', { queue_position: 2 })];
    const next = mergeTask(rows, row('a', 'queued'), { firstPage: true, matches: all, limit: 10 });
    expect(next[0].queue_position).toBe(2);
    expect(mergeTask(rows, row('a', 'processing', { progress: 40 }), { firstPage: true, matches: all, limit: 10 })[0]).toMatchObject({ status: 'processing', queue_position: null });
  });
  it('adds new tasks on the first page only, and drops rows leaving the filter', () => {
    expect(mergeTask([], row('b', 'queued'), { firstPage: false, matches: all, limit: 10 })).toEqual([]);
    expect(mergeTask([row('a', 'queued')], row('b', 'queued'), { firstPage: true, matches: all, limit: 1 }).map((r) => r.task_id)).toEqual(['b']);
    expect(mergeTask([row('a', 'queued')], row('a', 'completed'), { firstPage: true, matches: (t) => t.status === 'queued', limit: 10 })).toEqual([]);
  });
});
