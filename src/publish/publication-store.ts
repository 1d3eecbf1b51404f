/**
 * Durable publication records behind a small port: SQLite (one node) and PostgreSQL (several
 * nodes on one database). Plain SQL only (INSERT … ON CONFLICT DO NOTHING, no JSON operators).
 *
 * Two records: the *request* (which targets a task asked for, stored at submit time) and one
 * *publication* per task × target, created when the task completes. A publication also carries
 * a *claim* (holder + expiry) so that of several nodes only one uploads it at a time
 * (docs/publishing.md, "Several nodes").
 */
import type { Publication, PublicationState, TargetType } from './publication.js';

export interface PublishRequest {
  taskId: string;
  targets: string[];
  createdAt: number;
  /** True once publications were created for it (or none were needed). */
  planned: boolean;
}

export type PublicationPatch = Partial<Pick<Publication, 'state' | 'attempts' | 'url' | 'remoteId' | 'error' | 'resume' | 'nextAttemptAt' | 'doneAt'>>;

export interface PublicationStore {
  /** Record the targets a task asked for; a second call for the same task changes nothing. */
  saveRequest(taskId: string, targets: readonly string[], now: number): Promise<void>;
  getRequest(taskId: string): Promise<PublishRequest | undefined>;
  /** Requests not planned yet, oldest first (crash recovery). */
  unplannedRequests(limit: number): Promise<PublishRequest[]>;
  /**
   * Create pending publications (existing ones are kept as they are) and mark the request
   * planned — one transaction, so a crash cannot plan a task twice.
   */
  plan(taskId: string, targets: ReadonlyArray<{ target: string; type: TargetType }>, now: number): Promise<void>;
  list(taskId: string): Promise<Publication[]>;
  /** Whether any request or publication is stored at all (with publishing off, status reads skip the store). */
  hasAny(): Promise<boolean>;
  /** Publications in the given states, oldest first. */
  listByState(states: readonly PublicationState[], limit: number): Promise<Publication[]>;
  /** Update one publication; false when it does not exist. */
  update(taskId: string, target: string, patch: PublicationPatch, now: number): Promise<boolean>;
  /**
   * Take or renew the right to upload one publication until `now + leaseMs`. Granted when it is
   * unclaimed, its claim expired, or `holder` already holds it; false otherwise (another live
   * node holds it, or the publication does not exist). Atomic: of two racing holders one wins.
   */
  claim(taskId: string, target: string, holder: string, now: number, leaseMs: number): Promise<boolean>;
  /** Give a claim up (only when `holder` holds it), so another node may take it at once. */
  release(taskId: string, target: string, holder: string): Promise<void>;
  /** Drop everything about tasks that no longer exist (record retention). */
  forget(taskIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}
