/**
 * What the SQLite and PostgreSQL publication stores share: the tables (one DDL text both accept),
 * the patch → column map and the row → record mapping. Both databases hold the same rows, so a
 * deployment can move from one node to several without changing what a publication is.
 */
import type { Publication, PublicationState, TargetType } from './publication.js';
import type { PublicationPatch, PublishRequest } from './publication-store.js';

export { PUBLICATION_SCHEMA_SQL } from '../store/migrations/publications.js';

/** Columns added after the first release (SQLite files written by it lack them). */
export const CLAIM_COLUMNS = [
  ['claimed_by', 'TEXT'],
  ['claimed_until', 'BIGINT'],
] as const;

export const PATCH_COLUMNS: Record<keyof PublicationPatch, string> = {
  state: 'state',
  attempts: 'attempts',
  url: 'url',
  remoteId: 'remote_id',
  error: 'error',
  resume: 'resume',
  nextAttemptAt: 'next_attempt_at',
  doneAt: 'done_at',
};

export type Row = Record<string, unknown>;

const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function toPublication(r: Row): Publication {
  return {
    taskId: r.task_id as string,
    target: r.target as string,
    type: r.type as TargetType,
    state: r.state as PublicationState,
    attempts: Number(r.attempts),
    url: r.url as string | null,
    remoteId: r.remote_id as string | null,
    error: r.error as string | null,
    resume: r.resume ? (JSON.parse(r.resume as string) as Record<string, unknown>) : null,
    nextAttemptAt: Number(r.next_attempt_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    doneAt: numOrNull(r.done_at),
    claimedBy: (r.claimed_by as string | null | undefined) ?? null,
    claimedUntil: numOrNull(r.claimed_until),
  };
}

export function toRequest(r: Row): PublishRequest {
  return { taskId: r.task_id as string, targets: r.targets ? String(r.targets).split(',') : [], createdAt: Number(r.created_at), planned: Number(r.planned) === 1 };
}

/** The patch's columns (in key order) and their stored values; `resume` is stored as JSON text. */
export function patchEntries(patch: PublicationPatch): Array<[string, unknown]> {
  return (Object.keys(patch) as Array<keyof PublicationPatch>).map((k) => [
    PATCH_COLUMNS[k],
    k === 'resume' ? (patch.resume == null ? null : JSON.stringify(patch.resume)) : (patch[k] ?? null),
  ]);
}

/**
 * Targets in one fixed order: two nodes planning the same task insert the same rows in the same
 * order, so on PostgreSQL one waits for the other instead of deadlocking.
 */
export function sortedTargets<T extends { target: string }>(targets: readonly T[]): T[] {
  return [...targets].sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
}
