/**
 * Parse `nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw
 * --format=csv,noheader,nounits`. Defensive: "[N/A]", "[Not Supported]", blank fields, units
 * left in, extra spaces, garbage lines — a field that is not a number is null, a line without a
 * GPU index is skipped. Never throws.
 */
import type { GpuSample } from './gpu-stats.js';

export const NVIDIA_SMI_ARGS = ['--query-gpu=index,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw', '--format=csv,noheader,nounits'];

function field(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const m = /-?\d+(?:\.\d+)?/.exec(raw.trim());
  if (!m || /N\/A|Not Supported|Unknown|Error/i.test(raw)) return null;
  return Number(m[0]);
}

export function parseNvidiaSmi(csv: string, at: number): GpuSample[] {
  const out: GpuSample[] = [];
  for (const line of csv.split(/\r?\n/)) {
    const cols = line.split(',');
    if (cols.length < 2) continue;
    const index = field(cols[0]);
    if (index === null || !Number.isInteger(index) || index < 0 || !/^\s*\d+\s*$/.test(cols[0])) continue;
    out.push({
      index,
      utilizationPct: field(cols[1]),
      memoryUsedMiB: field(cols[2]),
      memoryTotalMiB: field(cols[3]),
      temperatureC: field(cols[4]),
      powerW: field(cols[5]),
      at,
    });
  }
  return out;
}
