/**
 * Durable publication records behind a small port, so a PostgreSQL adapter can follow the
 * SQLite one. Plain SQL only (INSERT … ON CONFLICT DO NOTHING, no JSON operators).
 *
 * Two records: the *request* (which targets a task asked for, stored at submit time) and one
 * *publication* per task × target, created when the task completes.
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
  /** Publications in the given states, oldest first. */
  listByState(states: readonly PublicationState[], limit: number): Promise<Publication[]>;
  /** Update one publication; false when it does not exist. */
  update(taskId: string, target: string, patch: PublicationPatch, now: number): Promise<boolean>;
  /** Drop everything about tasks that no longer exist (record retention). */
  forget(taskIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}
