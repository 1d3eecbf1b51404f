/**
 * The usage chart's geometry (docs/templates.md, "Usage"): one group of two bars (video and GPU
 * seconds) per UTC day of the window, a y axis with round ticks in seconds. Pure, unit-tested.
 */
export interface UsageDay {
  day: string;
  video_seconds: number;
  gpu_seconds: number;
}

/** Every UTC day from `from` (inclusive) to `to` (exclusive), days without usage as zeros. */
export function fillDays(items: readonly UsageDay[], from: string, to: string): UsageDay[] {
  const by = new Map(items.map((i) => [i.day, i]));
  const out: UsageDay[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t < Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push(by.get(day) ?? { day, video_seconds: 0, gpu_seconds: 0 });
  }
  return out;
}

/** Ticks 0, step, 2·step … up to at least `max`, with a 1/2/5 × 10ⁿ step and about `n` ticks. */
export function axisTicks(max: number, n = 4): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return ticks;
}
