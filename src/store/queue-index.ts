/**
 * In-memory order of the queued tasks, by insertion sequence, so "what is my queue position"
 * is a binary search (O(log n)) instead of a COUNT over the queue on every status poll.
 * New tasks almost always have the highest seq (append); claims take from the front.
 *
 * Positions and the size count what users submitted: a long script's parent counts once and
 * its parts (rows with a parent) are not counted on their own; a queued part answers its
 * parent's position while the parent waits, none once the parent is under way.
 */
export class QueueIndex {
  /** seqs of the queued submissions (rows without a parent), sorted. */
  private tops: number[] = [];
  private readonly bySeq = new Map<number, string>();
  private readonly seqById = new Map<string, number>();
  /** Queued part → its parent. */
  private readonly parentOf = new Map<string, string>();
  /** seqs of every queued row, parts included, sorted. */
  private all: number[] = [];

  /** Queued submissions (a parent once, its parts not at all). */
  get size(): number {
    return this.tops.length;
  }

  /** Every queued row, parts included (the work waiting for a GPU). */
  get rows(): number {
    return this.all.length;
  }

  add(id: string, seq: number, parentId: string | null = null): void {
    if (this.seqById.has(id)) return;
    insertSorted(this.all, seq);
    if (parentId === null) insertSorted(this.tops, seq);
    else this.parentOf.set(id, parentId);
    this.bySeq.set(seq, id);
    this.seqById.set(id, seq);
  }

  remove(id: string): void {
    const seq = this.seqById.get(id);
    if (seq === undefined) return;
    removeSorted(this.all, seq);
    if (!this.parentOf.delete(id)) removeSorted(this.tops, seq);
    this.bySeq.delete(seq);
    this.seqById.delete(id);
  }

  /** 1-based position among queued submissions, or null when neither it nor its parent is queued. */
  position(id: string): number | null {
    const parent = this.parentOf.get(id);
    const seq = this.seqById.get(parent ?? id);
    if (seq === undefined || (parent !== undefined && this.parentOf.has(parent))) return null;
    return lowerBound(this.tops, seq) + 1;
  }

  /** The first queued rows (parts included), in queue order. */
  firstIds(limit: number): string[] {
    return this.all.slice(0, limit).map((s) => this.bySeq.get(s)!);
  }
}

function insertSorted(xs: number[], v: number): void {
  const at = lowerBound(xs, v);
  if (at === xs.length) xs.push(v);
  else xs.splice(at, 0, v);
}

function removeSorted(xs: number[], v: number): void {
  const at = lowerBound(xs, v);
  if (xs[at] !== v) return;
  if (at === 0) xs.shift();
  else xs.splice(at, 1);
}

function lowerBound(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
