/**
 * The port every publish target implements, and the one error type it throws. Adapters
 * decide retryable vs. permanent from the provider's answer (STYLE: classify in the type,
 * not by string matching later).
 */
import type { TargetType } from './publication.js';

export interface UploadJob {
  taskId: string;
  filePath: string;
  size: number;
  /** The task's input text (for {text} in templates). */
  text: string;
  /** When the task finished (for {date}). */
  finishedAt: number;
  /** What a previous attempt saved to resume from (e.g. Vimeo's upload link), or null. */
  resume: Record<string, unknown> | null;
  /** Persist resume state at once, so a crash mid-upload resumes instead of starting over. */
  saveResume(state: Record<string, unknown> | null): Promise<void>;
  signal: AbortSignal;
}

export interface UploadResult {
  url: string;
  remoteId: string;
}

export interface Uploader {
  readonly type: TargetType;
  upload(job: UploadJob): Promise<UploadResult>;
  /** Release connections (on gateway close). */
  close?(): void;
}

export class PublishError extends Error {
  constructor(
    message: string,
    /** false: retrying cannot help (bad credentials, missing file, bad request). */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'PublishError';
  }
}

/** HTTP statuses worth another attempt: timeouts, rate limits, server faults. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
}
