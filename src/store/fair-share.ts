/**
 * Fair share in the claim order (docs/batches.md, "Fair share"): among the queued tasks that are
 * ready, a slot takes the oldest task of the owner (API key) with the FEWEST tasks in a slot
 * right now; ties go to the oldest task. One owner alone — or auth off, where every task has
 * the same (null) owner — is plain FIFO, as before. So a 200-row batch holding every slot does
 * not make another key's single task wait behind its tail: that task goes to the next free slot.
 *
 * The cost is a top-1 over the ready queue per claim (O(queued), one ordered scan), against the
 * O(1) head-of-queue read of pure FIFO; the active counts come from the small set of tasks in
 * a slot (index tasks_owner_fair). Queue positions shown to callers stay FIFO positions.
 */
import { ACTIVE_STATES } from '../domain/task.js';

const ACTIVE_LIST = [...ACTIVE_STATES].map((s) => `'${s}'`).join(', ');

/**
 * `FROM … ORDER BY …` of the fair claim over `tasks t`, for a statement that selects `t.id`.
 * `sameOwner` is the dialect's NULL-safe equality (SQLite `IS`, PostgreSQL `IS NOT DISTINCT FROM`);
 * `readyAt` the placeholder of "now" for available_at.
 */
export function fairClaimSql(sameOwner: 'IS' | 'IS NOT DISTINCT FROM', readyAt: string): string {
  return `tasks t LEFT JOIN (
      SELECT owner, COUNT(*) AS n FROM tasks WHERE state IN (${ACTIVE_LIST}) GROUP BY owner
    ) busy ON busy.owner ${sameOwner} t.owner
    WHERE t.state = 'queued' AND t.available_at <= ${readyAt}
    ORDER BY COALESCE(busy.n, 0), t.seq`;
}
