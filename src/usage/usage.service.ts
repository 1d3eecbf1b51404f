/**
 * Usage per API key (docs/templates.md, "Usage"): a row when a task reaches a final state (from
 * the lifecycle's change events, so the code that finishes a task needs nothing for it) and one
 * per backup render (segments/backup-renders.ts reports its time); reports by key or day; and
 * the monthly budgets a submit is checked against (429 `budget_exceeded` with what is left).
 */
import { DomainError } from '../domain/errors.js';
import { isFinal, type Task } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../tasks/clock.js';
import type { TaskChange } from '../tasks/lifecycle.js';
import type { GroupBy, UsageGroup, UsageStore } from './usage-store.js';
import { budgetLeft, crossedBudget, monthOf, round, usageOfTask, type Budget, type BudgetLeft, type UsageRow, type UsageTotals } from './usage.js';

export interface UsageConfig {
  /** Budgets by API key id from the config file; one set with `keys budget` replaces the key's entry. */
  budgets: Record<string, Partial<Budget>>;
}

export interface MyUsage {
  month: { start: number; end: number };
  used: UsageTotals;
  budget: Budget | null;
  left: BudgetLeft | null;
}

export class UsageService {
  constructor(
    readonly store: UsageStore,
    private readonly config: UsageConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
    /**
     * Estimated seconds of video of a key's accepted, unfinished tasks: they count against the
     * budget from the moment they are accepted, so a burst of submits cannot overrun it before
     * the first one finishes. Absent: only finished work counts.
     */
    private readonly pendingVideoSeconds: (owner: string) => Promise<number> = async () => 0,
  ) {}

  readonly onTaskChange = ({ task, from }: TaskChange): void => {
    if (from === task.state || !isFinal(task.state)) return;
    const row = usageOfTask(task);
    if (row) this.record(row);
  };

  /** A backup render of `task` on slot `slotId` ended (won, lost or failed) after `ms`. */
  backupRendered(task: Pick<Task, 'id' | 'attempt' | 'owner'>, slotId: number, ms: number): void {
    if (ms > 0) this.record({ taskId: task.id, part: `b${task.attempt}-${slotId}`, owner: task.owner, at: this.clock.now(), videoSec: 0, ttsSec: 0, renderSec: ms / 1000 });
  }

  private record(row: UsageRow): void {
    this.store.record(row).catch((err: unknown) => this.log.warn({ err, taskId: row.taskId }, 'usage: could not record a task\u2019s usage'));
  }

  report(from: number, to: number, groupBy: GroupBy, owner?: string): Promise<UsageGroup[]> {
    return this.store.report(from, to, groupBy, owner);
  }

  /** The key's budget: the one set with `keys budget`, else the config's, else none. */
  async budgetOf(keyId: string | null): Promise<Budget | null> {
    if (keyId === null) return null;
    const stored = await this.store.budget(keyId);
    if (stored) return stored;
    const c = this.config.budgets[keyId];
    return c ? { maxVideoSecondsPerMonth: c.maxVideoSecondsPerMonth ?? null, maxGpuSecondsPerMonth: c.maxGpuSecondsPerMonth ?? null } : null;
  }

  async me(keyId: string | null): Promise<MyUsage> {
    const month = monthOf(this.clock.now());
    const [used, budget] = await Promise.all([this.store.totals(keyId, month.start, month.end), this.budgetOf(keyId)]);
    return { month, used, budget, left: budget ? budgetLeft(used, budget) : null };
  }

  /**
   * Refuse a submit whose estimated `videoSec` (its speech length estimate), added to what the
   * key's unfinished tasks will deliver, would cross the key's budget this month.
   */
  async admit(keyId: string | null, videoSec: number): Promise<void> {
    const budget = await this.budgetOf(keyId);
    if (!budget || keyId === null) return;
    const month = monthOf(this.clock.now());
    const [used, pending] = await Promise.all([this.store.totals(keyId, month.start, month.end), this.pendingVideoSeconds(keyId)]);
    const crossed = crossedBudget(used, budget, videoSec + pending);
    if (!crossed) return;
    const left = budgetLeft(used, budget);
    const what = crossed === 'video' ? 'video seconds' : 'GPU seconds';
    const queued = pending > 0 ? ` (${round(pending)} s more are queued or rendering)` : '';
    throw new DomainError('budget_exceeded', 'over_budget', `This submit (about ${round(videoSec)} s of video) would cross the key\u2019s monthly budget of ${what}; left this month: ${crossed === 'video' ? left.videoSec : left.gpuSec} s${queued}`, {
      budget: crossed,
      estimated_video_seconds: round(videoSec),
      pending_video_seconds: round(pending),
      left: { video_seconds: left.videoSec, gpu_seconds: left.gpuSec },
      resets_at: new Date(month.end).toISOString(),
    });
  }
}
