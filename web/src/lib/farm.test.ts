import { describe, expect, it } from 'vitest';
import { queueTasks, slotTaskIds } from './farm';
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

describe('queueTasks', () => {
  const part = (position: number, parent: string | null, id: string, eta: number) => ({ task_id: id, parent_id: parent, position, wait_seconds: 10 - position, text: id, mine: true, eta_seconds: eta, eta_low: eta / 2, eta_high: eta * 2 });
  it('folds a long script’s parts into its task and counts places by task', () => {
    const rows = queueTasks([part(1, 'P', 'p1', 30), part(2, 'P', 'p2', 40), part(3, null, 'A', 20), part(4, 'Q', 'q1', 60)]);
    expect(rows.map((r) => [r.task_id, r.place, r.parts.length])).toEqual([['P', 1, 2], ['A', 2, 1], ['Q', 3, 1]]);
    // A's own estimate (20 s) is below the task ahead of it (40 s): shown in order
    expect(rows.map((r) => r.eta_seconds)).toEqual([40, 40, 60]);
    for (const r of rows) expect(r.eta_low! <= r.eta_seconds! && r.eta_seconds! <= r.eta_high!).toBe(true);
  });
  it('keeps other keys’ tasks as their own rows', () => {
    const rows = queueTasks([{ task_id: null, position: 1, wait_seconds: 1, text: null, mine: false }, { task_id: null, position: 2, wait_seconds: 1, text: null, mine: false }]);
    expect(rows.map((r) => r.key)).toEqual(['other-1', 'other-2']);
  });
});
