/**
 * The output check (docs/checks.md, "Output check"): one ffmpeg pass over a finished video with
 * `blackdetect`, `freezedetect` and `silencedetect`, plus the A/V duration drift from ffprobe's
 * header, judged against the speech's own activity (silence in the result is a finding only
 * where the speech had sound) and against the face video (a frozen result is a finding only when
 * the face video itself moves; the face is read only when the result has a frozen stretch).
 * Argument builders and the judgement are pure; `OutputChecker` runs the processes.
 *
 * Called before a result may complete through OutputGate (output-gate.ts).
 */
import { SAFE_INPUT } from '../media/ffmpeg.args.js';
import { runProcess } from '../media/process.js';

/** `output_clipped` is a warning (recorded, never fails a result: the speech itself is usually what clips). */
export type OutputCode = 'output_black' | 'output_frozen' | 'output_silent' | 'output_av_drift' | 'output_clipped';

export interface OutputFinding {
  code: OutputCode;
  /** Seconds into the result where it starts. */
  at: number;
  detail: string;
}

export interface Interval {
  start: number;
  end: number;
}

export interface Detections {
  black: Interval[];
  frozen: Interval[];
  silent: Interval[];
  /** Samples at full scale (volumedetect's 0 dB bin) and all samples; null when not measured. */
  clipped?: { atFullScale: number; samples: number } | null;
}

export interface OutputRules {
  /** Shortest black stretch reported. */
  blackSeconds: number;
  /** Shortest frozen stretch reported. */
  freezeSeconds: number;
  /** Shortest silence (where the speech has sound) reported. */
  silenceSeconds: number;
  /** Silence threshold, dBFS. */
  silenceDb: number;
  /** Largest accepted difference between the video and the audio stream lengths. */
  maxDriftSeconds: number;
  /** Share of the samples at full scale (0 dBFS) above which the sound is reported as clipped. */
  clipShare: number;
}

export const DEFAULT_OUTPUT_RULES: OutputRules = { blackSeconds: 0.5, freezeSeconds: 2, silenceSeconds: 1, silenceDb: -50, maxDriftSeconds: 0.5, clipShare: 0.001 };

/** The one pass over a result: video detectors on its first video stream, silence on its first audio stream. */
export function outputCheckArgs(input: string, r: OutputRules, o: { freeze: boolean }): string[] {
  const video = [`blackdetect=d=${r.blackSeconds}:pix_th=0.10`, ...(o.freeze ? [`freezedetect=n=-60dB:d=${r.freezeSeconds}`] : [])].join(',');
  return [
    '-hide_banner', '-nostdin', '-v', 'info', ...SAFE_INPUT, '-i', input,
    '-filter_complex', `[0:v:0]${video}[v];[0:a:0]silencedetect=n=${r.silenceDb}dB:d=${r.silenceSeconds},volumedetect[a]`,
    '-map', '[v]', '-map', '[a]', '-f', 'null', '-',
  ];
}

/** Silence of the speech alone (audio only: a fraction of the video pass). */
export function speechSilenceArgs(speech: string, r: OutputRules): string[] {
  return ['-hide_banner', '-nostdin', '-v', 'info', ...SAFE_INPUT, '-i', speech, '-map', '0:a:0', '-af', `silencedetect=n=${r.silenceDb}dB:d=${r.silenceSeconds}`, '-f', 'null', '-'];
}

/**
 * How much of the face video the still-face pass reads. A held photo is still from its first
 * frame; a recorded face moves within seconds. Reading the whole face instead would make the
 * check cost the face's length, not the result's: a 10-minute upload behind a 10 s result (or
 * behind each part of a long script) would be decoded in full for every result.
 */
export const STILL_FACE_WINDOW_SEC = 5;

/**
 * Does the face video itself stand still (a photo held)? Then a frozen result is what was asked
 * for. A short freeze window (0.3 s), so a one-second face clip is judged too; only its first
 * STILL_FACE_WINDOW_SEC seconds are read.
 */
export function stillFaceArgs(face: string): string[] {
  return ['-hide_banner', '-nostdin', '-v', 'info', ...SAFE_INPUT, '-i', face, '-map', '0:v:0', '-vf', 'freezedetect=n=-60dB:d=0.3', '-t', String(STILL_FACE_WINDOW_SEC), '-f', 'null', '-'];
}

const num = (s: string | undefined) => (s === undefined ? NaN : Number(s));

/**
 * Intervals from the detectors' log lines. A stretch still open at the end of the input (a
 * start without an end) runs to `durationSec`.
 */
export function parseDetections(stderr: string, durationSec: number): Detections {
  const black: Interval[] = [];
  const frozen: Interval[] = [];
  const silent: Interval[] = [];
  let freezeStart: number | null = null;
  let silenceStart: number | null = null;
  for (const line of stderr.split(/\r?\n|\r/)) {
    const b = /black_start:\s*([\d.]+)\s+black_end:\s*([\d.]+)/.exec(line);
    if (b) black.push({ start: num(b[1]), end: num(b[2]) });
    const fs = /freezedetect\.freeze_start:\s*([\d.]+)/.exec(line);
    if (fs) freezeStart = num(fs[1]);
    const fe = /freezedetect\.freeze_end:\s*([\d.]+)/.exec(line);
    if (fe && freezeStart !== null) {
      frozen.push({ start: freezeStart, end: num(fe[1]) });
      freezeStart = null;
    }
    const ss = /silence_start:\s*(-?[\d.]+)/.exec(line);
    if (ss) silenceStart = Math.max(0, num(ss[1]));
    const se = /silence_end:\s*([\d.]+)/.exec(line);
    if (se && silenceStart !== null) {
      silent.push({ start: silenceStart, end: num(se[1]) });
      silenceStart = null;
    }
  }
  if (freezeStart !== null) frozen.push({ start: freezeStart, end: durationSec });
  if (silenceStart !== null) silent.push({ start: silenceStart, end: durationSec });
  const samples = /n_samples:\s*(\d+)/.exec(stderr);
  const full = /histogram_0db:\s*(\d+)/.exec(stderr);
  const clipped = samples ? { atFullScale: full ? num(full[1]) : 0, samples: num(samples[1]) } : null;
  return { black, frozen, silent, clipped };
}

/** Parts of `a` not covered by any of `b`. */
function minus(a: Interval, b: Interval[]): Interval[] {
  let parts = [a];
  for (const x of b) {
    parts = parts.flatMap((p) => {
      if (x.end <= p.start || x.start >= p.end) return [p];
      return [{ start: p.start, end: x.start }, { start: x.end, end: p.end }].filter((q) => q.end - q.start > 1e-6);
    });
  }
  return parts;
}

const s2 = (x: number) => Math.round(x * 100) / 100;

export function judgeOutput(
  found: Detections,
  facts: { videoSec: number; audioSec: number; speechSilent: Interval[] | null; faceStill: boolean },
  r: OutputRules,
): OutputFinding[] {
  const out: OutputFinding[] = [];
  for (const b of found.black) out.push({ code: 'output_black', at: s2(b.start), detail: `black from ${s2(b.start)} s to ${s2(b.end)} s` });
  if (!facts.faceStill) {
    // a black picture is also a still one: what is black is reported once, as black
    for (const f of found.frozen.flatMap((x) => minus(x, found.black))) {
      if (f.end - f.start >= r.freezeSeconds) out.push({ code: 'output_frozen', at: s2(f.start), detail: `the picture stands still from ${s2(f.start)} s to ${s2(f.end)} s while the face video moves` });
    }
  }
  for (const s of found.silent) {
    // silence is a finding only where the speech itself has sound (its pauses are not)
    const speaking = facts.speechSilent ? minus(s, facts.speechSilent) : [s];
    const longest = speaking.reduce((a, p) => (p.end - p.start > a.end - a.start ? p : a), { start: s.start, end: s.start });
    if (longest.end - longest.start >= r.silenceSeconds) {
      out.push({ code: 'output_silent', at: s2(longest.start), detail: `no sound from ${s2(longest.start)} s to ${s2(longest.end)} s where the speech has sound` });
    }
  }
  const drift = facts.videoSec - facts.audioSec;
  if (Math.abs(drift) > r.maxDriftSeconds) {
    out.push({ code: 'output_av_drift', at: s2(Math.min(facts.videoSec, facts.audioSec)), detail: `video ${s2(facts.videoSec)} s, audio ${s2(facts.audioSec)} s (${drift > 0 ? '+' : ''}${s2(drift)} s)` });
  }
  const c = found.clipped;
  if (c && c.samples > 0 && c.atFullScale / c.samples > r.clipShare) {
    out.push({ code: 'output_clipped', at: 0, detail: `${c.atFullScale} of ${c.samples} samples at full scale (${s2((c.atFullScale / c.samples) * 100)} %): the sound clips` });
  }
  return out.sort((a, b) => a.at - b.at);
}

export interface OutputCheckInput {
  result: string;
  /** Stream lengths of the result (ffprobe). */
  videoSec: number;
  audioSec: number;
  /** The speech the result should say (its silences are allowed in the result). */
  speech?: string;
  /**
   * The face video it was rendered from (a still face allows a still result). Unknown (a remote
   * runner's own default face, which the gateway never sees): frozen stretches are not judged,
   * since a photo held still is a valid face.
   */
  face?: string;
  /** Known without looking: true = do not judge frozen stretches (a stitched whole of checked parts). */
  faceStill?: boolean;
  signal?: AbortSignal;
}

export class OutputChecker {
  constructor(private readonly o: { ffmpegPath: string; timeoutMs: number; rules?: OutputRules }) {}

  private get rules(): OutputRules {
    return this.o.rules ?? DEFAULT_OUTPUT_RULES;
  }

  async check(i: OutputCheckInput): Promise<OutputFinding[]> {
    const r = this.rules;
    const known = i.faceStill ?? (i.face ? undefined : true);
    const run = (args: string[]) => runProcess(this.o.ffmpegPath, args, { signal: i.signal, timeoutMs: this.o.timeoutMs }).then((x) => x.stderr);
    const [stderr, speechErr] = await Promise.all([run(outputCheckArgs(i.result, r, { freeze: known !== true })), i.speech ? run(speechSilenceArgs(i.speech, r)) : Promise.resolve(null)]);
    const duration = Math.max(i.videoSec, i.audioSec);
    const found = parseDetections(stderr, duration);
    // The face is looked at only when the result stands still long enough to be a finding: a
    // good result (nearly all of them) costs no pass over the face video at all.
    const longFreeze = found.frozen.some((f) => f.end - f.start >= r.freezeSeconds);
    const faceStill = known ?? (longFreeze ? await this.isStill(i.face!, i.signal) : false);
    const speechSilent = speechErr === null ? null : parseDetections(speechErr, i.audioSec).silent;
    return judgeOutput(found, { videoSec: i.videoSec, audioSec: i.audioSec, speechSilent, faceStill }, r);
  }

  /** A face video frozen over (nearly) all of its first seconds (STILL_FACE_WINDOW_SEC) is a held photo. */
  async isStill(face: string, signal?: AbortSignal): Promise<boolean> {
    const { stderr } = await runProcess(this.o.ffmpegPath, stillFaceArgs(face), { signal, timeoutMs: this.o.timeoutMs });
    // frozen from its start and never moving again (the stretch is still open at the end)
    const frozen = parseDetections(stderr, Infinity).frozen;
    // (ffmpeg 5.1 dates the start near the end of the first 0.3 s window)
    return frozen.length === 1 && frozen[0].start <= 0.5 && frozen[0].end === Infinity;
  }
}
