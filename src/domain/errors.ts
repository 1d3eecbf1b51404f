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
  'output_black',
  'output_frozen',
  'output_silent',
  'output_av_drift',
  'engine_unreachable',
  'engine_busy',
  'lease_expired',
  'node_restarted',
  'store_unavailable',
  'canceled',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes of a result the output check refused (docs/checks.md). */
export const OUTPUT_CHECK_CODES = ['output_black', 'output_frozen', 'output_silent', 'output_av_drift'] as const;

/** Faults of the slot's containers or of what they produced: a retry should try another GPU. */
const SLOT_FAULTS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['tts_failed', 'render_failed', 'render_timeout', 'render_lost', 'result_invalid', 'engine_unreachable', 'engine_busy', ...OUTPUT_CHECK_CODES]);

/**
 * Should the retry of this failure prefer another slot? Always for a refused or unusable result; for a
 * segment of a long script also for any fault of the slot's containers (its siblings are spread
 * over every GPU anyway, so another one costs nothing). docs/lifecycle.md, "Another GPU for a retry".
 */
export function retryElsewhere(code: ErrorCode, segment: boolean): boolean {
  return (OUTPUT_CHECK_CODES as readonly string[]).includes(code) || code === 'result_invalid' || (segment && SLOT_FAULTS.has(code));
}

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

/**
 * What kind of refusal a request met, in the words of the feature that refused it. The HTTP layer
 * turns a kind into a status code in one place (src/http/errors.ts); features never name a status.
 */
export const DOMAIN_ERROR_KINDS = ['invalid', 'forbidden', 'not_found', 'conflict', 'too_large', 'unprocessable', 'upstream_failed', 'unavailable', 'over_budget'] as const;
export type DomainErrorKind = (typeof DOMAIN_ERROR_KINDS)[number];

/**
 * A request a feature refuses: a stable machine `code` clients branch on (`batch_invalid`,
 * `queue_full`, …), its `kind`, a human `message`, and `details` that go into the error body
 * next to `error` and `code` (e.g. `{ errors: [...] }`). Thrown by feature code (batches,
 * library, admission, …) so that none of it depends on the HTTP layer.
 */
export class DomainError extends Error {
  readonly code: string;
  readonly kind: DomainErrorKind;
  readonly details: Record<string, unknown>;
  /** When trying again later may succeed (a full queue): how long to wait. Sent as Retry-After. */
  readonly retryAfterSeconds: number | undefined;
  constructor(code: string, kind: DomainErrorKind, message: string, details: Record<string, unknown> = {}, opts: { retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DomainError';
    this.code = code;
    this.kind = kind;
    this.details = details;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}
