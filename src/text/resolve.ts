/**
 * Resolve: choose the best set of non-overlapping candidate spans. Each span weighs
 * score × length (a longer reading of the same characters wins unless it is much less sure);
 * uncovered characters weigh nothing. A forward dynamic programme over positions finds the set
 * with the highest total weight in time linear in the text plus the number of candidates.
 */
import type { Candidate } from './spans.js';

export function resolve(length: number, byStart: (Candidate[] | undefined)[]): Candidate[] {
  const best = new Float64Array(length + 1);
  /** The candidate that ends at a position on the best path, or null for "copy one character". */
  const via: (Candidate | null)[] = new Array(length + 1).fill(null);
  for (let i = 0; i <= length; i++) {
    if (i > 0 && best[i - 1] > best[i] + 1e-9) {
      best[i] = best[i - 1];
      via[i] = null;
    }
    const starting = byStart[i];
    if (!starting) continue;
    for (const c of starting) {
      const w = best[i] + c.score * (c.end - c.start);
      // strictly better only: on a tie the earlier decision (plain text, or a span found before) stays
      if (w > best[c.end] + 1e-9) {
        best[c.end] = w;
        via[c.end] = c;
      }
    }
  }
  const kept: Candidate[] = [];
  let i = length;
  while (i > 0) {
    const c = via[i];
    if (c) {
      kept.push(c);
      i = c.start;
    } else i -= 1;
  }
  return kept.reverse();
}
