/**
 * The transition table as the stores apply it: of the states a caller allows a move from, only
 * those `canTransition` permits for the target stay in the UPDATE's `state IN (…)`. The table is
 * then checked in the same statement that fences attempt and token, against the row's state at
 * that moment — never against a copy the caller read earlier. Asking for an illegal move is a
 * bug in the caller: it is refused and logged.
 */
import { canTransition, type TaskState } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { TransitionGuard } from './task-store.js';

export function legalSources(id: string, guard: TransitionGuard, to: TaskState, log: Pick<Logger, 'warn'> | undefined): TaskState[] {
  const from = typeof guard.from === 'string' ? [guard.from] : [...guard.from];
  const legal = from.filter((s) => canTransition(s, to));
  if (legal.length < from.length) {
    log?.warn({ taskId: id, from: from.filter((s) => !legal.includes(s)), to }, 'illegal task transition refused');
  }
  return legal;
}
