/**
 * Overhead that must not grow with the farm: 3, 12, 24 and 48 GPUs × three render-time laws
 * (uniform ±50 %, log-normal σ 0.6, Pareto α 2.5), with progress that stays flat until the end
 * and a result file the fake keeps writing for 1.5 s after it says "done" (what the external
 * test's containers do). Per case: GPU busy share and the gap from a job's end to the next
 * submit on that GPU (from the containers' own records), the gateway's CPU per task (its own
 * process plus the media children it ran) and its RSS per slot.
 *
 * The simulated containers run in their own process (and process group) at nice 19, and by
 * default as a *lightweight* farm: the same HeyGem protocol, byte for byte, but each result is a
 * copy of a pre-encoded MP4 of the speech's length (src/simulate/prepared-results.ts) instead of
 * four ffprobe/ffmpeg runs per job — at 24–48 GPUs on 2 cores those starved the gateway and
 * posed as its cost. `fullFarm` (`--full-farm`) brings the encoding fakes back. Renders get
 * longer with the farm (3 → 48 GPUs: 3 → 12 s mean); each GPU runs three jobs. The gateway's
 * CPU is its own process's (process.cpuUsage: the bench process hosts only the gateway, and in
 * lean mode waits on events), its media children's (ffprobe, the output check) apart.
 */
import type { RenderTimeModel } from '../src/simulate/render-time.js';
import { runScheduling } from './scheduling.bench.js';

const LAWS: Array<{ label: string; renderTime: RenderTimeModel }> = [
  { label: 'uniform ±50 %', renderTime: { kind: 'uniform', spread: 0.5 } },
  { label: 'log-normal σ 0.6', renderTime: { kind: 'lognormal', sigma: 0.6 } },
  { label: 'Pareto α 2.5', renderTime: { kind: 'pareto', alpha: 2.5 } },
];

/** Mean render per farm size: at most 4 results a second however many GPUs (the fakes mux each one). */
const RENDER_MS: Record<number, number> = { 3: 3000, 12: 6000, 24: 8000, 48: 12_000 };

export async function runScale(opts: { quick?: boolean; gpus?: number[]; seed?: number; farmNice?: number; laws?: string[]; fullFarm?: boolean; outputCheck?: boolean }): Promise<Array<Record<string, number | string | boolean>>> {
  const sizes = opts.gpus ?? (opts.quick ? [2] : [3, 12, 24, 48]);
  const rows = [];
  for (const gpus of sizes) {
    const laws = opts.laws ? LAWS.filter((l) => opts.laws!.some((w) => l.label.toLowerCase().startsWith(w.toLowerCase()))) : LAWS;
    for (const law of opts.quick ? LAWS.slice(0, 1) : laws) {
      const r = await runScheduling({
        label: law.label,
        gpus,
        tasks: gpus * (opts.quick ? 2 : 3),
        ttsMs: opts.quick ? 100 : 1000,
        renderMs: opts.quick ? 400 : (RENDER_MS[gpus] ?? 12_000),
        renderTime: law.renderTime,
        progress: 'flat',
        growMs: opts.quick ? 200 : 1500,
        pipelining: true,
        variedText: true,
        farmNice: opts.farmNice ?? 19,
        lean: true,
        lightFarm: !opts.fullFarm,
        // the output check (docs/checks.md) decodes every result: the largest per-task CPU cost
        ...(opts.outputCheck === false ? { gateway: { checks: { output: { enabled: false } } } } : {}),
        seed: opts.seed ?? 1,
      });
      rows.push({
        gpus,
        render: law.label,
        render_ms_mean: r.render_ms_mean,
        tasks: r.tasks,
        completed: r.completed,
        not_completed: r.not_completed,
        farm_nice: r.farm_nice,
        light_farm: r.light_farm,
        output_check: opts.outputCheck !== false,
        gpu_busy_share: r.gpu_busy_share,
        gap_p50_ms: r.gpu_idle_between_jobs_p50_ms,
        gap_p95_ms: r.gpu_idle_between_jobs_p95_ms,
        done_detection_p95_ms: r.done_detection_p95_ms,
        handover_p95_ms: r.handover_p95_ms,
        speech_late: r.speech_late_handovers,
        gateway_cpu_ms_per_task: r.gateway_cpu_ms_per_task,
        media_cpu_ms_per_task: r.media_children_cpu_ms_per_task,
        peak_rss_mb: r.peak_rss_mb,
        rss_per_slot_mb: r.rss_per_slot_mb,
        makespan_s: r.makespan_s,
      });
      console.log(JSON.stringify(rows[rows.length - 1]));
    }
  }
  return rows;
}
