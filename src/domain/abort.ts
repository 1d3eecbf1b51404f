/**
 * Why a task's AbortSignal fired. A user's cancel ends the task; a shutdown only stops
 * following it locally (the task stays durable and is resumed by the next start); `lost`
 * means this attempt no longer holds its lease (canceled elsewhere, reaped, or superseded),
 * so the worker stops without recording anything.
 */
export type AbortKind = 'cancel' | 'shutdown' | 'lost';

const MESSAGES: Record<AbortKind, string> = {
  cancel: 'Task was canceled',
  shutdown: 'Gateway is shutting down',
  lost: 'This attempt lost its lease',
};

export class AbortReason extends Error {
  constructor(readonly kind: AbortKind) {
    super(MESSAGES[kind]);
    this.name = 'AbortError';
  }
}

export function abortKind(signal: AbortSignal): AbortKind | null {
  if (!signal.aborted) return null;
  return signal.reason instanceof AbortReason ? signal.reason.kind : 'cancel';
}
