/**
 * Why a task's AbortSignal fired. A user's cancel ends the task; a shutdown only stops
 * following it locally (the task stays durable and is resumed by the next start).
 */
export type AbortKind = 'cancel' | 'shutdown';

export class AbortReason extends Error {
  constructor(readonly kind: AbortKind) {
    super(kind === 'cancel' ? 'Task was canceled' : 'Gateway is shutting down');
    this.name = 'AbortError';
  }
}

export function abortKind(signal: AbortSignal): AbortKind | null {
  if (!signal.aborted) return null;
  return signal.reason instanceof AbortReason ? signal.reason.kind : 'cancel';
}
