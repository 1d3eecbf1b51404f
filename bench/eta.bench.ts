/**
 * ETA range calibration: does the 80 % range (`eta_low`..`eta_high`) contain the real end about
 * 80 % of the time? 3 fake GPUs (own process), 30 tasks of varied length, flat progress, render
 * times uniform ±50 %, log-normal σ 0.6 and Pareto α 2.5; once on the machine as it is, once
 * with two extra CPU burners (a loaded machine: renders and speech slow down unpredictably).
 * Coverage and errors are counted on warm samples (after 9 completions) taken ≥ 1 s before the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import type { RenderTimeModel } from '../src/simulate/render-time.js';
import { round } from './lib/stats.js';
import { runScheduling } from './scheduling.bench.js';

const LAWS: Array<{ label: string; renderTime: RenderTimeModel }> = [
  { label: 'uniform ±50 %', renderTime: { kind: 'uniform', spread: 0.5 } },
  { label: 'log-normal σ 0.6', renderTime: { kind: 'lognormal', sigma: 0.6 } },
  { label: 'Pareto α 2.5', renderTime: { kind: 'pareto', alpha: 2.5 } },
];

/** Busy loops in their own processes (ended by pid when the case is over). */
function burners(n: number): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
}

export async function runEtaBench(opts: { quick?: boolean }): Promise<Array<Record<string, number | string>>> {
  const rows = [];
  for (const machine of opts.quick ? ['as found'] : ['as found', 'loaded (+2 CPU burners)']) {
    const load = machine === 'as found' ? [] : burners(2);
    try {
      for (const law of opts.quick ? LAWS.slice(0, 1) : LAWS) {
        const r = await runScheduling({
          label: law.label,
          gpus: opts.quick ? 2 : 3,
          tasks: opts.quick ? 6 : 30,
          ttsMs: opts.quick ? 100 : 1000,
          renderMs: opts.quick ? 400 : 3000,
          renderTime: law.renderTime,
          progress: 'flat',
          growMs: opts.quick ? 50 : 1500,
          pipelining: true,
          variedText: true,
        });
        rows.push({
          machine,
          load_average_1m: round(loadavg()[0], 1),
          render: law.label,
          warm_samples: r.eta_samples_warm as number,
          in_range_share: r.eta_in_range_share as number,
          median_abs_error: r.eta_median_abs_error as number,
          p90_abs_error: r.eta_p90_abs_error as number,
          median_signed_error: r.eta_median_signed_error as number,
        });
        console.log(JSON.stringify(rows[rows.length - 1]));
      }
    } finally {
      for (const b of load) b.kill();
    }
  }
  return rows;
}
