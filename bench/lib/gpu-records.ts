/**
 * GPU occupancy from the fake video containers' own job records (submit and finish times as the
 * container saw them), so the gateway's view cannot flatter itself.
 */
import type { JobRecord } from '../../src/simulate/video-container.fake.js';
import { median, quantile } from './stats.js';

export interface GpuOccupancy {
  /** Σ render time / Σ per-GPU span from its first submit to its last finish. */
  busyShare: number;
  /** Gaps between one job finishing and the next submit on the same GPU (ms). */
  idleGaps: number[];
  /** How late the gateway read "done" after the container finished (ms). */
  detectDelays: number[];
  /** From the gateway reading "done" to its next submit on that GPU (ms). */
  submitAfterDetect: number[];
  /**
   * The hand-over proper: from the moment the next submit was possible (done read *and* the
   * next task's speech ready) to the submit (ms).
   */
  submitAfterReady: number[];
  /** Hand-overs where the next task's speech was not ready when "done" was read. */
  speechLate: number;
  /** Per GPU: Σ render time (what the makespan would be with no gaps at all, after the first submit). */
  busyMsPerGpu: number[];
  jobsPerGpu: number[];
  renderMs: number[];
}

/** `speechReadyAt`: when each task's speech was ready (by code), if known. */
export function gpuOccupancy(perGpu: JobRecord[][], speechReadyAt: Map<string, number> = new Map()): GpuOccupancy {
  let busy = 0;
  let span = 0;
  const idleGaps: number[] = [];
  const detectDelays: number[] = [];
  const submitAfterDetect: number[] = [];
  const submitAfterReady: number[] = [];
  let speechLate = 0;
  const busyMsPerGpu: number[] = [];
  const jobsPerGpu: number[] = [];
  const renderMs: number[] = [];
  for (const records of perGpu) {
    const h = records.filter((j) => j.doneAt !== null).sort((a, b) => a.submittedAt - b.submittedAt);
    let gpuBusy = 0;
    for (let i = 0; i < h.length; i++) {
      gpuBusy += h[i].doneAt! - h[i].submittedAt;
      renderMs.push(h[i].doneAt! - h[i].submittedAt);
      if (h[i].reportedAt !== null) detectDelays.push(h[i].reportedAt! - h[i].doneAt!);
      if (i > 0) idleGaps.push(Math.max(0, h[i].submittedAt - h[i - 1].doneAt!));
      if (i > 0 && h[i - 1].reportedAt !== null) {
        submitAfterDetect.push(h[i].submittedAt - h[i - 1].reportedAt!);
        const ready = speechReadyAt.get(h[i].code) ?? 0;
        if (ready > h[i - 1].reportedAt!) speechLate += 1;
        submitAfterReady.push(h[i].submittedAt - Math.max(ready, h[i - 1].reportedAt!));
      }
    }
    busyMsPerGpu.push(gpuBusy);
    jobsPerGpu.push(h.length);
    busy += gpuBusy;
    if (h.length) span += h[h.length - 1].doneAt! - h[0].submittedAt;
  }
  return { busyShare: span > 0 ? busy / span : NaN, idleGaps, detectDelays, submitAfterDetect, submitAfterReady, speechLate, busyMsPerGpu, jobsPerGpu, renderMs };
}

export const p = (xs: number[], q: number) => Math.round(q === 0.5 ? median(xs) : quantile(xs, q));
