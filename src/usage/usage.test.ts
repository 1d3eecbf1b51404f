import { describe, expect, it } from 'vitest';
import type { Task } from '../domain/task.js';
import { budgetLeft, crossedBudget, estimateVideoSeconds, monthOf, usageOfTask } from './usage.js';

const task = (o: Partial<Task>): Task => ({ id: 't1', attempt: 1, owner: 'k1', state: 'completed', parentId: null, audioDurationSec: 4.5, ttsStartedAt: 1000, ttsEndedAt: 3000, renderStartedAt: 3000, renderEndedAt: 9000, finishedAt: 9500, updatedAt: 9500, ...o }) as Task;

describe('usage of a task', () => {
  it('counts speech and render time of the attempt, and video only for a delivered top-level video', () => {
    expect(usageOfTask(task({}))).toEqual({ taskId: 't1', part: 'a1', owner: 'k1', at: 9500, videoSec: 4.5, ttsSec: 2, renderSec: 6 });
    expect(usageOfTask(task({ parentId: 'p' }))?.videoSec).toBe(0); // a segment: the parent delivers
    // failed mid-render: the render ran until the task ended
    expect(usageOfTask(task({ state: 'failed', renderEndedAt: null, attempt: 2 }))).toMatchObject({ part: 'a2', videoSec: 0, renderSec: 6.5 });
    expect(usageOfTask(task({ state: 'canceled', ttsStartedAt: null, ttsEndedAt: null, renderStartedAt: null, renderEndedAt: null }))).toBeNull();
  });

  it('rolls budgets by calendar month in UTC', () => {
    const m = monthOf(Date.UTC(2026, 11, 31, 23, 59, 59));
    expect([new Date(m.start).toISOString(), new Date(m.end).toISOString()]).toEqual(['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });

  it('refuses what would cross a budget and says what is left', () => {
    const used = { videoSec: 50, gpuSec: 100, ttsSec: 20, renderSec: 80, videos: 3 };
    const b = { maxVideoSecondsPerMonth: 60, maxGpuSecondsPerMonth: null };
    expect(crossedBudget(used, b, 9)).toBeNull();
    expect(crossedBudget(used, b, 11)).toBe('video');
    // 2 GPU seconds per video second so far: 10 s more would take about 20 GPU seconds
    expect(crossedBudget(used, { maxVideoSecondsPerMonth: null, maxGpuSecondsPerMonth: 115 }, 10)).toBe('gpu');
    expect(budgetLeft(used, b)).toEqual({ videoSec: 10, gpuSec: null });
  });

  it('estimates a Chinese script like an English one of the same length in time', () => {
    expect(estimateVideoSeconds(['abc'], 15)).toBeCloseTo(0.2);
    expect(estimateVideoSeconds(['你好', 'ab'], 8)).toBeCloseTo(1);
  });
});
