/**
 * In-memory order of the queued tasks, by insertion sequence, so "what is my queue position"
 * is a binary search (O(log n)) instead of a COUNT over the queue on every status poll.
 * New tasks almost always have the highest seq (append); claims take from the front.
 */
export class QueueIndex {
  private seqs: number[] = [];
  private bySeq = new Map<number, string>();
  private seqById = new Map<string, number>();

  get size(): number {
    return this.seqs.length;
  }

  add(id: string, seq: number): void {
    if (this.seqById.has(id)) return;
    const at = this.lowerBound(seq);
    if (at === this.seqs.length) this.seqs.push(seq);
    else this.seqs.splice(at, 0, seq);
    this.bySeq.set(seq, id);
    this.seqById.set(id, seq);
  }

  remove(id: string): void {
    const seq = this.seqById.get(id);
    if (seq === undefined) return;
    const at = this.lowerBound(seq);
    if (at === 0) this.seqs.shift();
    else this.seqs.splice(at, 1);
    this.bySeq.delete(seq);
    this.seqById.delete(id);
  }

  /** 1-based position, or null when the id is not queued. */
  position(id: string): number | null {
    const seq = this.seqById.get(id);
    return seq === undefined ? null : this.lowerBound(seq) + 1;
  }

  firstIds(limit: number): string[] {
    return this.seqs.slice(0, limit).map((s) => this.bySeq.get(s)!);
  }

  private lowerBound(seq: number): number {
    let lo = 0;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqs[mid] < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
