/**
 * Finishing a segment's speech in memory (docs/segments.md): pure, fast (milliseconds for
 * minutes of audio), so the slot's front lane is not held by a slow filter.
 *  - the engine's own leading/trailing silence is trimmed (10 ms windows under -50 dBFS),
 *    keeping 20 ms, so the pause between segments is exactly the configured one and captions
 *    know where the speech is;
 *  - level: the voiced windows' RMS is brought to `levelDb` (peaks limited to -1 dBFS), so
 *    every segment sounds equally loud;
 *  - 10 ms fades in and out (no clicks at a cut);
 *  - then `pauseSec` of silence, padded up to a whole video frame.
 */
export interface FinishOptions {
  sampleRate: number;
  pauseSec: number;
  fps: number;
  levelDb: number;
}

const SILENT_DB = -50;
const KEEP_SEC = 0.02;
const FADE_SEC = 0.01;

const db = (x: number) => 20 * Math.log10(Math.max(1e-9, x));

export function finishSamples(input: Int16Array, o: FinishOptions): { samples: Int16Array; speechSec: number } {
  const win = Math.max(1, Math.round(o.sampleRate * 0.01));
  const rms: number[] = [];
  for (let i = 0; i < input.length; i += win) {
    let s = 0;
    const end = Math.min(input.length, i + win);
    for (let j = i; j < end; j++) s += (input[j] / 32768) ** 2;
    rms.push(Math.sqrt(s / Math.max(1, end - i)));
  }
  const voiced = rms.map((r) => db(r) > SILENT_DB);
  const first = voiced.indexOf(true);
  const last = voiced.lastIndexOf(true);
  if (first < 0) return { samples: new Int16Array(0), speechSec: 0 };
  const keep = Math.round(KEEP_SEC * o.sampleRate);
  const from = Math.max(0, first * win - keep);
  const to = Math.min(input.length, (last + 1) * win + keep);
  // gain from the voiced windows only (silence between words must not lower the estimate)
  const v = rms.filter((_, i) => voiced[i]);
  const level = Math.sqrt(v.reduce((a, r) => a + r * r, 0) / v.length);
  let peak = 0;
  for (let i = from; i < to; i++) peak = Math.max(peak, Math.abs(input[i]) / 32768);
  const gain = Math.min(10 ** (o.levelDb / 20) / Math.max(1e-6, level), 10 ** (-1 / 20) / Math.max(1e-6, peak));
  const speech = to - from;
  const frames = Math.max(1, Math.ceil(((speech / o.sampleRate + o.pauseSec) * o.fps) - 1e-6));
  const total = Math.round((frames / o.fps) * o.sampleRate);
  const out = new Int16Array(total);
  const fade = Math.max(1, Math.round(FADE_SEC * o.sampleRate));
  for (let i = 0; i < speech; i++) {
    const env = Math.min(1, i / fade, (speech - 1 - i) / fade);
    out[i] = Math.max(-32768, Math.min(32767, Math.round(input[from + i] * gain * Math.max(0, env))));
  }
  return { samples: out, speechSec: speech / o.sampleRate };
}
