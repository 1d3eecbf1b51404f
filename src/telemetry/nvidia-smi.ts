/**
 * GPU telemetry sampled in the background (never inside a request): nvidia-smi every
 * `intervalMs`, the last sample per GPU index kept in memory. No nvidia-smi, or a failing one,
 * gives null fields with a reason — never an error to a client.
 */
import { runProcess } from '../media/process.js';
import type { GpuSample, GpuStatsSource } from './gpu-stats.js';
import { NVIDIA_SMI_ARGS, parseNvidiaSmi } from './nvidia-smi.parse.js';

export class NvidiaSmiSampler implements GpuStatsSource {
  private samples = new Map<number, GpuSample>();
  private reason: string | null = 'not sampled yet';
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly o: { binary?: string; intervalMs: number; timeoutMs?: number; now?: () => number; onSample?: (s: GpuSample[]) => void },
  ) {}

  latest(index: number): GpuSample | null {
    return this.samples.get(index) ?? null;
  }

  unavailableReason(): string | null {
    return this.reason;
  }

  /** One sample now (also used by `doctor`). */
  async sample(): Promise<GpuSample[]> {
    if (this.running) return [...this.samples.values()];
    this.running = true;
    try {
      const { stdout } = await runProcess(this.o.binary ?? 'nvidia-smi', NVIDIA_SMI_ARGS, { timeoutMs: this.o.timeoutMs ?? 5000, maxOutputBytes: 256 * 1024 });
      const list = parseNvidiaSmi(stdout, (this.o.now ?? Date.now)());
      this.samples = new Map(list.map((s) => [s.index, s]));
      this.reason = list.length ? null : 'nvidia-smi reported no GPUs';
      this.o.onSample?.(list);
      return list;
    } catch (err) {
      this.samples.clear();
      this.reason = (err as { kind?: string }).kind === 'spawn' ? 'nvidia-smi not found' : `nvidia-smi failed: ${(err as Error).message.slice(0, 200)}`;
      return [];
    } finally {
      this.running = false;
    }
  }

  start(): void {
    if (this.timer) return;
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.o.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
