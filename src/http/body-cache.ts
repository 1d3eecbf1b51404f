/**
 * Serialized answers of hot read routes, kept for a moment. Dashboards and clients poll the
 * status of a task and the queue far more often than anything changes, so a repeated poll is a
 * map lookup plus a socket write: no store read, no presentation, no serialization. An entry
 * lives at most `ttlMs` of real time (ETAs and running times count down; publications and
 * library names change without a task event) and is dropped at once when the task changes
 * (this node's changes and other nodes', which arrive through the lifecycle: NOTIFY on
 * PostgreSQL). Real time, not the gateway clock: a frozen test clock must not freeze answers.
 */
export class BodyCache<V> {
  private readonly entries = new Map<string, { at: number; value: V }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (performance.now() - e.at < this.ttlMs) return e.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V): void {
    // A burst over many ids must not grow without bound: start over (entries live 100 ms anyway).
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { at: performance.now(), value });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
