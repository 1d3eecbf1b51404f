import { describe, expect, it } from 'vitest';
import { slotTaskIds } from './farm';
import { row } from './fixtures';

describe('slot card tasks', () => {
  it("uses the slot's list, or its current task", () => {
    expect(slotTaskIds('0', { tasks: ['a', 'b'], current_task: 'a' }, {})).toEqual(['a', 'b']);
    expect(slotTaskIds('0', { tasks: [], current_task: 'a' }, {})).toEqual(['a']);
    expect(slotTaskIds('0', { tasks: [], current_task: null }, {})).toEqual([]);
  });
  it('drops tasks that events say have ended, adds ones that started on this GPU since', () => {
    const live = { a: row('a', 'completed', { gpu_id: 0 }), c: row('c', 'processing', { gpu_id: 0 }), d: row('d', 'processing', { gpu_id: 1 }), e: row('e', 'queued') };
    expect(slotTaskIds('0', { tasks: ['a', 'b'], current_task: 'a' }, live)).toEqual(['b', 'c']);
    expect(slotTaskIds('1', { tasks: [], current_task: null }, live)).toEqual(['d']);
  });
});
