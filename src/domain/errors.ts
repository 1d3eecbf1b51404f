/**
 * Typed task errors. Every failure a task can end in carries a stable machine `code`
 * (clients branch on it) and a human `message`. Whether a fault is worth retrying is part
 * of the type, never decided by matching strings (docs/lifecycle.md, "Failures and retries").
 */
export const ERROR_CODES = [
  'input_invalid',
  'tts_failed',
  'render_failed',
  'render_timeout',
  'render_lost',
  'result_invalid',
  'engine_unreachable',
  'engine_busy',
  'lease_expired',
  'node_restarted',
  'canceled',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class TaskError extends Error {
  readonly code: ErrorCode;
  /** true when trying again (same or another slot) may succeed: busy, unreachable, timeout. */
  readonly retryable: boolean;
  constructor(code: ErrorCode, message: string, opts: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'TaskError';
    this.code = code;
    this.retryable = opts.retryable ?? false;
  }
}

/** Wraps anything thrown into a TaskError so the state machine only ever records codes it knows. */
export function toTaskError(err: unknown, fallback: ErrorCode = 'internal'): TaskError {
  if (err instanceof TaskError) return err;
  if (err instanceof Error && err.name === 'AbortError') return new TaskError('canceled', 'Task was canceled');
  const message = err instanceof Error ? err.message : String(err);
  return new TaskError(fallback, message);
}
