import { afterEach, describe, expect, it, vi } from 'vitest';
import { row } from './fixtures';
import { applyToStatus, matchesFilter, mergeTask, needsResync, throttle } from './live';

const all = () => true;
const opts = { firstPage: true, matches: all, limit: 10 };

describe('live merge', () => {
  it('updates rows in place and keeps queue positions of queued rows', () => {
    const rows = [row('a', 'queued', { queue_position: 2 })];
    expect(mergeTask(rows, row('a', 'queued'), opts)[0].queue_position).toBe(2);
    expect(mergeTask(rows, row('a', 'processing', { progress: 40 }), opts)[0]).toMatchObject({ status: 'processing', progress: 40, queue_position: null });
  });
  it('moves the tasks behind one that leaves the queue up a place', () => {
    const rows = [row('c', 'queued', { queue_position: 3 }), row('b', 'queued', { queue_position: 2 }), row('a', 'queued', { queue_position: 1 })];
    const next = mergeTask(rows, row('b', 'canceled'), opts);
    expect(next.map((r) => [r.task_id, r.queue_position])).toEqual([['c', 2], ['b', null], ['a', 1]]);
  });
  it('adds new tasks on the first page only, and drops rows leaving the filter', () => {
    expect(mergeTask([], row('b', 'queued'), { ...opts, firstPage: false })).toEqual([]);
    expect(mergeTask([row('a', 'queued')], row('b', 'queued'), { ...opts, limit: 1 }).map((r) => r.task_id)).toEqual(['b']);
    expect(mergeTask([row('a', 'queued')], row('a', 'completed'), { ...opts, matches: (t) => t.status === 'queued' })).toEqual([]);
  });
  it('re-reads the list for new tasks and status changes, not for progress ticks', () => {
    const rows = [row('a', 'processing', { progress: 10 })];
    expect(needsResync(rows, row('a', 'processing', { progress: 50 }))).toBe(false);
    expect(needsResync(rows, row('a', 'completed'))).toBe(true);
    expect(needsResync(rows, row('b', 'queued'))).toBe(true);
  });
});

describe('filter of live events', () => {
  it('mirrors the server: active = started and not final, failed includes timeout, text search ignores case', () => {
    expect(matchesFilter(row('a', 'processing'), 'active', '')).toBe(true);
    expect(matchesFilter(row('a', 'preprocessing'), 'active', '')).toBe(true);
    expect(matchesFilter(row('a', 'queued'), 'active', '')).toBe(false);
    expect(matchesFilter(row('a', 'completed'), 'active', '')).toBe(false);
    expect(matchesFilter(row('a', 'timeout'), 'failed', '')).toBe(true);
    expect(matchesFilter(row('a', 'queued', { text: 'Hello World' }), '', ' world ')).toBe(true);
    expect(matchesFilter(row('a', 'queued', { text: 'Hello' }), 'queued', 'bye')).toBe(false);
  });
});

describe('event applied to a task page', () => {
  const { text: _t, ...summary } = row('a', 'processing', { phase: 'rendering', progress: 50 });
  const status = { ...summary, input_text: 'full text' };
  it('merges progress in place without a re-read, never touching the full input text', () => {
    const { next, refetch } = applyToStatus(status, row('a', 'processing', { phase: 'rendering', progress: 70, text: 'cut…' }));
    expect(refetch).toBe(false);
    expect(next).toMatchObject({ progress: 70, input_text: 'full text' });
    expect('text' in next).toBe(false);
  });
  it('asks for a re-read on a phase change, and ignores other tasks', () => {
    expect(applyToStatus(status, row('a', 'processing', { phase: 'collecting' })).refetch).toBe(true);
    expect(applyToStatus(status, row('b', 'completed'))).toEqual({ next: status, refetch: false });
  });
});

describe('throttle', () => {
  afterEach(() => vi.useRealTimers());
  it('runs a burst once at once and once at the end of the interval', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const t = throttle(fn, 1000);
    t.call();
    vi.advanceTimersByTime(0);
    expect(fn).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 5; i++) t.call();
    vi.advanceTimersByTime(500);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(600);
    expect(fn).toHaveBeenCalledTimes(2);
    t.call();
    t.cancel();
    vi.advanceTimersByTime(2000);
    expect(fn).toHaveBeenCalledTimes(2);
  });
});
