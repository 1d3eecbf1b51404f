/**
 * Fair share in the claim order (docs/batches.md, "Fair share"): among the queued tasks that are
 * ready, a slot takes the oldest task of the owner (API key) with the FEWEST tasks in a slot
 * right now; ties go to the oldest task. One owner alone — or auth off, where every task has
 * the same (null) owner — is plain FIFO, as before. So a 200-row batch holding every slot does
 * not make another key's single task wait behind its tail: that task goes to the next free slot.
 *
 * Cost: independent of the queue length. The owners with queued work are enumerated by a
 * skip-scan over the partial index `tasks_queued_owner` (owner, seq) — one index seek per
 * owner — and each owner's head is one more seek; the active counts come from the few tasks in
 * a slot. A plain "ORDER BY active count, seq" over the queue would be a sort of every queued
 * row per claim (8 ms at 10 000 queued on SQLite, see docs/performance.md "Batches").
 * Queue positions shown to callers stay FIFO positions. A parent of segments (segment_count set)
 * is never a candidate: its children are the work (docs/segments.md).
 */
import { ACTIVE_STATES } from '../domain/task.js';

const ACTIVE_LIST = [...ACTIVE_STATES].map((s) => `'${s}'`).join(', ');

/**
 * A statement selecting the `id` of the task a claim should take, over `tasks t` (PostgreSQL
 * appends its row lock); `now` is the placeholder for the claim time (used twice).
 *
 * `avoid` names the placeholders of the claiming slot's LIKE pattern (`%,<id>,%`) and of the time
 * since which an avoided task must have been ready for this slot to take it anyway.
 *
 * Besides each owner's head, the first few ready tasks in FIFO order are candidates ranked
 * last: with PostgreSQL's SKIP LOCKED, a head locked by another node's claim must not leave
 * this claim empty-handed while other tasks wait.
 */
export function fairClaimSql(dialect: 'sqlite' | 'postgres', now: string, avoid: { pattern: string; readyBy: string }): string {
  const sameOwner = dialect === 'sqlite' ? 'IS' : 'IS NOT DISTINCT FROM';
  // SQLite without ANALYZE statistics prefers the state index and scans the whole queue; the
  // hints pin the seeks described above (PostgreSQL's planner finds them from its statistics).
  const byOwner = dialect === 'sqlite' ? 'tasks INDEXED BY tasks_queued_owner' : 'tasks';
  const bySeq = dialect === 'sqlite' ? 'tasks INDEXED BY tasks_queued' : 'tasks';
  // The few candidates drive primary-key lookups, never a scan of tasks. PostgreSQL locks the
  // chosen row (FOR UPDATE OF t, appended by the adapter), so t stays a plain table there.
  // A retry that should go to another GPU (avoid_slots names this one) is left to the other
  // slots until it has been ready since `readyBy` (docs/lifecycle.md, "Another GPU for a retry").
  const notAvoided = `(t.avoid_slots IS NULL OR t.avoid_slots NOT LIKE ${avoid.pattern} OR t.available_at <= ${avoid.readyBy})`;
  const pick = `SELECT t.id FROM cand c CROSS JOIN tasks t ON t.seq = c.seq WHERE t.state = 'queued' AND ${notAvoided} ORDER BY c.rank, c.seq`;
  const pickLocked = `SELECT t.id FROM tasks t WHERE t.seq = ANY(ARRAY(SELECT seq FROM cand)) AND t.state = 'queued' AND ${notAvoided}
    ORDER BY (SELECT MIN(c.rank) FROM cand c WHERE c.seq = t.seq), t.seq`;
  return `WITH RECURSIVE owners(o) AS (
      SELECT MIN(owner) FROM ${byOwner} WHERE state = 'queued' AND owner IS NOT NULL
      UNION ALL
      SELECT (SELECT MIN(owner) FROM ${byOwner} WHERE state = 'queued' AND owner > o) FROM owners WHERE o IS NOT NULL
    ), heads(seq, owner) AS (
      SELECT (SELECT seq FROM ${byOwner} WHERE state = 'queued' AND owner = o AND available_at <= ${now} AND segment_count IS NULL ORDER BY owner, seq LIMIT 1), o FROM owners WHERE o IS NOT NULL
      UNION ALL
      SELECT (SELECT seq FROM ${byOwner} WHERE state = 'queued' AND owner IS NULL AND available_at <= ${now} AND segment_count IS NULL ORDER BY owner, seq LIMIT 1), NULL
    ), busy AS (
      SELECT owner, COUNT(*) AS n FROM tasks WHERE state IN (${ACTIVE_LIST}) GROUP BY owner
    ), cand(seq, rank) AS (
      SELECT h.seq, COALESCE(b.n, 0) FROM heads h LEFT JOIN busy b ON b.owner ${sameOwner} h.owner WHERE h.seq IS NOT NULL
      UNION ALL
      SELECT f.seq, 1000000000 FROM (SELECT seq FROM ${bySeq} WHERE state = 'queued' AND available_at <= ${now} AND segment_count IS NULL ORDER BY seq LIMIT 8) f
    )
    ${dialect === 'sqlite' ? pick : pickLocked}`;
}

/** The values of `avoid`'s placeholders for a claim (ClaimRequest.preferOthersMs). */
export function avoidParams(req: { slotId: number; now: number; preferOthersMs?: number }): { avoidPattern: string; readyBy: number } {
  return { avoidPattern: `%,${req.slotId},%`, readyBy: req.now - (req.preferOthersMs ?? 0) };
}
