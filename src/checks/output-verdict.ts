/**
 * What a result's findings mean for its task (docs/checks.md, "Before completed"). Pure.
 *
 * A result with a failing finding (black, frozen, silent, drifting) is refused. The first
 * refused result of a run is retried — on another GPU (the task's `avoidSlots`, see
 * docs/lifecycle.md) — and a second refused result ends the task with the finding's code: one
 * bad GPU should not cost the user the video, but an input that makes every GPU fail should not
 * burn GPU time until the attempts run out. `output_clipped` is a warning only.
 */
import { OUTPUT_CHECK_CODES, type ErrorCode } from '../domain/errors.js';
import type { CheckFinding } from '../domain/task.js';
import type { OutputFinding } from './output-check.js';

export type OutputVerdict = { ok: true } | { ok: false; code: ErrorCode; message: string; retry: boolean };

export const isFailing = (code: string): boolean => (OUTPUT_CHECK_CODES as readonly string[]).includes(code);

/** Findings of one result, as the task keeps them. */
export function asTaskFindings(found: readonly OutputFinding[], attempt: number, slotId: number | null): CheckFinding[] {
  return found.map((f) => ({ code: f.code, at: f.at, detail: f.detail, attempt, slotId }));
}

/**
 * `earlier`: the findings the task already has (of earlier results of this run). `retryable`:
 * may this result be rendered again at all (a stitched whole is made of checked parts: no).
 */
export function outputVerdict(found: readonly OutputFinding[], earlier: readonly CheckFinding[], at: { attempt: number; slotId: number | null; retryable: boolean }): OutputVerdict {
  const failing = found.filter((f) => isFailing(f.code));
  if (!failing.length) return { ok: true };
  const before = earlier.some((f) => isFailing(f.code) && f.attempt < at.attempt);
  const where = at.slotId === null ? 'The stitched video' : `The result of attempt ${at.attempt} (GPU ${at.slotId})`;
  const message = `${where} failed the output check: ${failing.map((f) => f.detail).join('; ')}`;
  return { ok: false, code: failing[0].code as ErrorCode, message: before ? `${message} (the second bad result)` : message, retry: at.retryable && !before };
}
