/**
 * GPU telemetry port. Requests only ever read the last background sample (the replaced system
 * ran nvidia-smi inside every /api/queue request). Adapters: NoGpuStats (no GPUs, e.g. the
 * preview engine) and the nvidia-smi sampler.
 */
export interface GpuSample {
  index: number;
  utilizationPct: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  temperatureC: number | null;
  powerW: number | null;
  at: number;
}

export interface GpuStatsSource {
  /** Last sample for a GPU index, or null with why it is missing. */
  latest(index: number): GpuSample | null;
  /** Why samples are missing (e.g. "nvidia-smi not found"), null when sampling works. */
  unavailableReason(): string | null;
  start(): void;
  stop(): void;
}

export class NoGpuStats implements GpuStatsSource {
  constructor(private readonly reason = 'GPU telemetry disabled') {}
  latest(): GpuSample | null {
    return null;
  }
  unavailableReason(): string | null {
    return this.reason;
  }
  start(): void {}
  stop(): void {}
}
