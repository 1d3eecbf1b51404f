/** Versioned prefix of the runner protocol (docs/runners.md). */
export const RUNNER_API = '/api/runners/v1';
