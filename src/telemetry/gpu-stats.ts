/**
 * GPU telemetry port. Requests only ever read the last background sample (the replaced system
 * ran nvidia-smi inside every /api/queue request). Adapters: NoGpuStats (no GPUs, e.g. the
 * preview engine) and the nvidia-smi sampler.
 */
import type { GpuReadings, GpuSample } from '../runner/cluster.js';

/** The sample's shape is the runner's port (runner/cluster.ts); the samplers fill it. */
export type { GpuSample };

export interface GpuStatsSource extends GpuReadings {
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
