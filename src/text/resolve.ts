/**
 * Resolve: choose the best set of non-overlapping candidate spans. Each span weighs
 * score × length (a longer reading of the same characters wins unless it is much less sure);
 * uncovered characters weigh nothing. A forward dynamic programme over positions finds the set
 * with the highest total weight in time linear in the text plus the number of candidates.
 *
 * Candidates live in flat typed arrays (one row per candidate, chained per start position),
 * not in one object each: number-heavy text has a candidate at nearly every other character,
 * and objects there cost more in garbage collection than the matching itself.
 */
import type { Recognizer } from './spans.js';

export class CandidateTable<R = Recognizer> {
  /** First candidate starting at each position (-1: none); rows are chained by `next`. */
  readonly head: Int32Array;
  start = new Int32Array(64);
  end = new Int32Array(64);
  score = new Float64Array(64);
  next = new Int32Array(64);
  recognizer: R[] = [];
  /** The match, kept only for recognizers whose score needed it (others are matched again if kept). */
  match: (RegExpExecArray | null)[] = [];
  size = 0;
  /** The last row added at each start, so rows keep the order they were found in. */
  private readonly tail: Int32Array;

  constructor(length: number) {
    this.head = new Int32Array(length + 1).fill(-1);
    this.tail = new Int32Array(length + 1).fill(-1);
  }

  add(start: number, end: number, score: number, recognizer: R, match: RegExpExecArray | null): void {
    const k = this.size++;
    if (k === this.start.length) this.grow();
    this.start[k] = start;
    this.end[k] = end;
    this.score[k] = score;
    this.next[k] = -1;
    this.recognizer[k] = recognizer;
    this.match[k] = match;
    if (this.tail[start] < 0) this.head[start] = k;
    else this.next[this.tail[start]] = k;
    this.tail[start] = k;
  }

  private grow(): void {
    const n = this.start.length * 2;
    const copy = <T extends Int32Array | Float64Array>(a: T, b: T) => (b.set(a), b);
    this.start = copy(this.start, new Int32Array(n));
    this.end = copy(this.end, new Int32Array(n));
    this.score = copy(this.score, new Float64Array(n));
    this.next = copy(this.next, new Int32Array(n));
  }
}

/** The rows of the best set, in text order. */
export function resolve<R>(length: number, t: CandidateTable<R>): number[] {
  const best = new Float64Array(length + 1);
  /** The row that ends at a position on the best path, or -1 for "copy one character". */
  const via = new Int32Array(length + 1).fill(-1);
  for (let i = 0; i <= length; i++) {
    if (i > 0 && best[i - 1] > best[i] + 1e-9) {
      best[i] = best[i - 1];
      via[i] = -1;
    }
    for (let k = t.head[i]; k >= 0; k = t.next[k]) {
      const e = t.end[k];
      const w = best[i] + t.score[k] * (e - i);
      // strictly better only: on a tie the earlier decision (plain text, or a span found before) stays
      if (w > best[e] + 1e-9) {
        best[e] = w;
        via[e] = k;
      }
    }
  }
  const kept: number[] = [];
  let i = length;
  while (i > 0) {
    const k = via[i];
    if (k >= 0) {
      kept.push(k);
      i = t.start[k];
    } else i -= 1;
  }
  return kept.reverse();
}

/** The match of a kept span; spans found with test() are matched again here (the same pattern at the same place). */
export function matchOf<R extends { re: RegExp }>(t: CandidateTable<R>, k: number, text: string): RegExpExecArray {
  const found = t.match[k];
  if (found) return found;
  const re = t.recognizer[k].re;
  re.lastIndex = t.start[k];
  const m = re.exec(text);
  if (!m) throw new Error('pattern no longer matches'); // cannot happen: same pattern, same text, same place
  return m;
}
