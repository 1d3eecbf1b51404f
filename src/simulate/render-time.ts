/**
 * How long a simulated render takes. Real HeyGem render times depend on the face video,
 * resolution, GPU clocks and contention, not only on the speech length, so the fake video
 * container can draw them from several distributions (seeded: runs are reproducible).
 * Every model has the same mean `baseMs` except `proportional`, which scales with speech.
 */
export type RenderTimeModel =
  /** Always `baseMs`. */
  | { kind: 'fixed' }
  /** `msPerSpeechSec` × the submitted audio's duration. */
  | { kind: 'proportional'; msPerSpeechSec: number }
  /** Uniform in baseMs × [1 − spread, 1 + spread] (spread 0.5 = ±50 %). */
  | { kind: 'uniform'; spread: number }
  /** Log-normal with mean `baseMs` and shape `sigma` (long right tail). */
  | { kind: 'lognormal'; sigma: number }
  /** Pareto with mean `baseMs` and tail index `alpha` > 1 (heavier tail for smaller alpha). */
  | { kind: 'pareto'; alpha: number }
  /**
   * Proportional to the speech with log-normal noise of shape `sigma` (mean `msPerSpeechSec` ×
   * speech), plus `jobMs` per job (a real render's warm-up and face preprocessing before its
   * first frame), never noisy.
   */
  | { kind: 'scaled'; msPerSpeechSec: number; sigma: number; jobMs?: number };

/** Draw one render time (ms), at least 1 ms and at most `maxMs`. */
export function sampleRenderMs(model: RenderTimeModel, baseMs: number, speechSec: number, random: () => number, maxMs = Infinity): number {
  let ms: number;
  switch (model.kind) {
    case 'fixed':
      ms = baseMs;
      break;
    case 'proportional':
      ms = model.msPerSpeechSec * speechSec;
      break;
    case 'uniform':
      ms = baseMs * (1 + model.spread * (2 * random() - 1));
      break;
    case 'lognormal': {
      // Box–Muller; exp(σz − σ²/2) has mean 1.
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      ms = baseMs * Math.exp(model.sigma * z - (model.sigma * model.sigma) / 2);
      break;
    }
    case 'pareto': {
      const xm = (baseMs * (model.alpha - 1)) / model.alpha;
      ms = xm / Math.pow(1 - random(), 1 / model.alpha);
      break;
    }
    case 'scaled': {
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      ms = (model.jobMs ?? 0) + model.msPerSpeechSec * speechSec * Math.exp(model.sigma * z - (model.sigma * model.sigma) / 2);
      break;
    }
  }
  return Math.min(maxMs, Math.max(1, Math.round(ms)));
}

/** Parse "fixed", "proportional:900", "uniform:0.5", "lognormal:0.6", "pareto:2.5" (CLI, bench labels). */
export function parseRenderTimeModel(text: string): RenderTimeModel {
  const [kind, arg] = text.split(':');
  const n = Number(arg);
  switch (kind) {
    case 'fixed':
      return { kind: 'fixed' };
    case 'proportional':
      return { kind: 'proportional', msPerSpeechSec: arg ? n : 1000 };
    case 'uniform':
      return { kind: 'uniform', spread: arg ? n : 0.5 };
    case 'lognormal':
      return { kind: 'lognormal', sigma: arg ? n : 0.6 };
    case 'pareto':
      return { kind: 'pareto', alpha: arg ? n : 2.5 };
    case 'scaled': {
      const [, , sigmaText, jobText] = text.split(':');
      const sigma = Number(sigmaText);
      const jobMs = Number(jobText);
      return { kind: 'scaled', msPerSpeechSec: arg ? n : 1000, sigma: Number.isFinite(sigma) ? sigma : 0.3, ...(jobMs > 0 ? { jobMs } : {}) };
    }
    default:
      throw new Error(`unknown render time model "${text}" (fixed, proportional[:msPerSpeechSec], uniform[:spread], lognormal[:sigma], pareto[:alpha], scaled[:msPerSpeechSec[:sigma[:jobMs]]])`);
  }
}

export function describeRenderTimeModel(m: RenderTimeModel): string {
  switch (m.kind) {
    case 'fixed':
      return 'fixed';
    case 'proportional':
      return `proportional ${m.msPerSpeechSec} ms/s`;
    case 'uniform':
      return `uniform ±${Math.round(m.spread * 100)} %`;
    case 'lognormal':
      return `lognormal σ ${m.sigma}`;
    case 'pareto':
      return `pareto α ${m.alpha}`;
    case 'scaled':
      return `${m.jobMs ? `${m.jobMs} ms a job + ` : ''}proportional ${m.msPerSpeechSec} ms/s × log-normal σ ${m.sigma}`;
  }
}
