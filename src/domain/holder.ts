/**
 * Lease holders of remote runners are named `runner:<token name>`, so any node tells its own
 * attempts from a runner's at a glance (restart recovery, queue view, metrics). Pure naming,
 * here so that the scheduler and the runner protocol share it without importing each other.
 */
export const RUNNER_HOLDER_PREFIX = 'runner:';

export const runnerHolder = (name: string): string => `${RUNNER_HOLDER_PREFIX}${name}`;

export function isRemoteHolder(holder: string | null | undefined): boolean {
  return typeof holder === 'string' && holder.startsWith(RUNNER_HOLDER_PREFIX);
}
