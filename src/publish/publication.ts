/**
 * One upload of one task's video to one target, and how it reads in /api/status. Pure.
 */
export const PUBLICATION_STATES = ['pending', 'uploading', 'done', 'failed'] as const;
export type PublicationState = (typeof PUBLICATION_STATES)[number];
export type TargetType = 'vimeo' | 's3';

export interface Publication {
  taskId: string;
  target: string;
  type: TargetType;
  state: PublicationState;
  /** Upload attempts started so far. */
  attempts: number;
  /** Where the video can be seen (Vimeo page, public/presigned object URL, or s3:// URI). */
  url: string | null;
  /** Provider id: Vimeo video URI, object key. */
  remoteId: string | null;
  error: string | null;
  /** Provider state needed to resume (Vimeo upload link); never shown. */
  resume: Record<string, unknown> | null;
  /** A pending upload does not start before this time (backoff). */
  nextAttemptAt: number;
  createdAt: number;
  updatedAt: number;
  /** When the upload finished successfully. */
  doneAt: number | null;
  /** The node uploading it (several nodes on one database), or null; never shown. */
  claimedBy: string | null;
  /** That node's claim lapses at this time unless renewed. */
  claimedUntil: number | null;
}

/** A publication that will be created when its task completes (what a status shows before). */
export function pendingPublication(taskId: string, target: string, type: TargetType, at: number): Publication {
  return { taskId, target, type, state: 'pending', attempts: 0, url: null, remoteId: null, error: null, resume: null, nextAttemptAt: 0, createdAt: at, updatedAt: at, doneAt: null, claimedBy: null, claimedUntil: null };
}

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

/**
 * The status fields: `publications` (one entry per target) plus the replaced system's
 * `vimeo_uploaded` (bool), `vimeo_url` and `vimeo_upload_time` (its "%Y-%m-%d %H:%M:%S"-like
 * timestamp; we send ISO 8601), taken from the first Vimeo target that finished.
 */
export function presentPublications(rows: readonly Publication[]): Record<string, unknown> {
  const vimeo = rows.find((r) => r.type === 'vimeo' && r.state === 'done');
  return {
    publications: rows.map((r) => ({
      target: r.target,
      type: r.type,
      state: r.state,
      attempts: r.attempts,
      url: r.url,
      error: r.error,
      updated_at: iso(r.updatedAt),
    })),
    vimeo_uploaded: vimeo !== undefined,
    vimeo_url: vimeo?.url ?? null,
    vimeo_upload_time: iso(vimeo?.doneAt ?? null),
  };
}
