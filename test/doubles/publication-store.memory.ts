/** In-memory PublicationStore for unit tests; passes the same conformance suite as SQLite. */
import type { Publication, PublicationState, TargetType } from '../../src/publish/publication.js';
import type { PublicationPatch, PublicationStore, PublishRequest } from '../../src/publish/publication-store.js';

export class MemoryPublicationStore implements PublicationStore {
  private readonly requests = new Map<string, PublishRequest>();
  private readonly pubs = new Map<string, Publication>();

  async saveRequest(taskId: string, targets: readonly string[], now: number): Promise<void> {
    if (!this.requests.has(taskId)) this.requests.set(taskId, { taskId, targets: [...targets], createdAt: now, planned: false });
  }
  async hasAny(): Promise<boolean> {
    return this.requests.size > 0 || this.pubs.size > 0;
  }
  async getRequest(taskId: string): Promise<PublishRequest | undefined> {
    const r = this.requests.get(taskId);
    return r && { ...r, targets: [...r.targets] };
  }
  async unplannedRequests(limit: number): Promise<PublishRequest[]> {
    return [...this.requests.values()].filter((r) => !r.planned).sort((a, b) => a.createdAt - b.createdAt).slice(0, limit).map((r) => ({ ...r }));
  }
  async plan(taskId: string, targets: ReadonlyArray<{ target: string; type: TargetType }>, now: number): Promise<void> {
    for (const t of targets) {
      const key = `${taskId}\u0000${t.target}`;
      if (this.pubs.has(key)) continue;
      this.pubs.set(key, { taskId, target: t.target, type: t.type, state: 'pending', attempts: 0, url: null, remoteId: null, error: null, resume: null, nextAttemptAt: 0, createdAt: now, updatedAt: now, doneAt: null, claimedBy: null, claimedUntil: null });
    }
    const req = this.requests.get(taskId) ?? { taskId, targets: targets.map((t) => t.target), createdAt: now, planned: true };
    this.requests.set(taskId, { ...req, planned: true });
  }
  async list(taskId: string): Promise<Publication[]> {
    return [...this.pubs.values()]
      .filter((p) => p.taskId === taskId)
      .sort((a, b) => a.createdAt - b.createdAt || a.target.localeCompare(b.target))
      .map((p) => structuredClone(p));
  }
  async listByState(states: readonly PublicationState[], limit: number): Promise<Publication[]> {
    return [...this.pubs.values()]
      .filter((p) => states.includes(p.state))
      .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt)
      .slice(0, limit)
      .map((p) => structuredClone(p));
  }
  async update(taskId: string, target: string, patch: PublicationPatch, now: number): Promise<boolean> {
    const p = this.pubs.get(`${taskId}\u0000${target}`);
    if (!p) return false;
    Object.assign(p, structuredClone(patch), { updatedAt: now });
    return true;
  }
  async claim(taskId: string, target: string, holder: string, now: number, leaseMs: number): Promise<boolean> {
    const p = this.pubs.get(`${taskId}\u0000${target}`);
    if (!p || (p.claimedBy !== null && p.claimedBy !== holder && (p.claimedUntil ?? 0) > now)) return false;
    Object.assign(p, { claimedBy: holder, claimedUntil: now + leaseMs });
    return true;
  }
  async release(taskId: string, target: string, holder: string): Promise<void> {
    const p = this.pubs.get(`${taskId}\u0000${target}`);
    if (p?.claimedBy === holder) Object.assign(p, { claimedBy: null, claimedUntil: null });
  }
  async forget(taskIds: readonly string[]): Promise<void> {
    for (const id of taskIds) {
      this.requests.delete(id);
      for (const [k, p] of this.pubs) if (p.taskId === id) this.pubs.delete(k);
    }
  }
  async close(): Promise<void> {}
}
