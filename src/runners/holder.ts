/**
 * Lease holders of remote runners are named `runner:<token name>`, so a gateway tells its own
 * attempts from a runner's at a glance (restart recovery, queue view, metrics).
 */
export const RUNNER_HOLDER_PREFIX = 'runner:';

export const runnerHolder = (name: string): string => `${RUNNER_HOLDER_PREFIX}${name}`;

export function isRemoteHolder(holder: string | null | undefined): boolean {
  return typeof holder === 'string' && holder.startsWith(RUNNER_HOLDER_PREFIX);
}

/** Versioned prefix of the runner protocol (docs/runners.md). */
export const RUNNER_API = '/api/runners/v1';
