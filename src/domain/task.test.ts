import { describe, expect, it } from 'vitest';
import { newTaskId, isTaskId } from './ids.js';
import { canTransition, overallProgress, publicStatus, TASK_STATES, type TaskState } from './task.js';

describe('task state machine', () => {
  const path: TaskState[] = ['queued', 'preparing', 'reserved', 'tts', 'rendering', 'collecting', 'completed'];
  it('allows the happy path one step at a time', () => {
    for (let i = 0; i + 1 < path.length; i++) expect(canTransition(path[i], path[i + 1])).toBe(true);
    expect(canTransition('queued', 'tts')).toBe(false);
    expect(canTransition('rendering', 'tts')).toBe(false);
  });
  it('allows failed/canceled from every non-final state, nothing from completed', () => {
    for (const s of TASK_STATES) {
      const final = s === 'completed' || s === 'failed' || s === 'canceled';
      expect(canTransition(s, 'failed')).toBe(!final);
      expect(canTransition(s, 'canceled')).toBe(!final);
    }
    for (const s of TASK_STATES) expect(canTransition('completed', s)).toBe(false);
    expect(canTransition('failed', 'queued')).toBe(true);
  });
  it('maps to the compatible status vocabulary', () => {
    expect(publicStatus({ state: 'preparing', errorCode: null })).toBe('preprocessing');
    expect(publicStatus({ state: 'rendering', errorCode: null })).toBe('processing');
    expect(publicStatus({ state: 'failed', errorCode: 'render_timeout' })).toBe('timeout');
    expect(publicStatus({ state: 'failed', errorCode: 'tts_failed' })).toBe('failed');
  });
  it('progress grows monotonically along the path', () => {
    const values = path.map((state) => overallProgress({ state, engineProgress: 0 }));
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
    expect(overallProgress({ state: 'rendering', engineProgress: 100 })).toBeLessThan(overallProgress({ state: 'collecting', engineProgress: 0 }));
  });
});

describe('task ids', () => {
  it('are unique for many ids in the same millisecond and path-safe', () => {
    const ids = new Set(Array.from({ length: 20000 }, () => newTaskId(1_700_000_000_000)));
    expect(ids.size).toBe(20000);
    for (const id of [...ids].slice(0, 50)) expect(isTaskId(id)).toBe(true);
    expect(isTaskId('../../etc/passwd')).toBe(false);
  });
  it('sort by creation time', () => {
    expect(newTaskId(1000) < newTaskId(2000)).toBe(true);
  });
});
