/**
 * The real Media adapter: system ffmpeg/ffprobe through runProcess (argument arrays only).
 * Outputs are written under a temp name and renamed, so no reader ever sees half a file.
 */
import { randomBytes } from 'node:crypto';
import { access, constants, rename, rm } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { TaskError } from '../domain/errors.js';
import { defaultFaceArgs, extractAudioArgs, muxLoopArgs, packetsArgs, parseProbeJson, parseVideoPackets, probeArgs, transcodeArgs } from './ffmpeg.args.js';
import { checkMp4Structure } from './mp4-boxes.js';
import type { Media, MediaVerifyOptions, ProbeResult, VerifyOutcome, VideoPackets } from './media.js';
import { ProcessError, runProcess } from './process.js';

export interface FfmpegMediaOptions {
  ffmpegPath?: string;
  ffprobePath?: string;
  timeoutMs?: number;
}

const PROBE_TIMEOUT_MS = 30_000;

export const tempSibling = (path: string, ext: string) => `${path}.tmp-${randomBytes(4).toString('hex')}${ext}`;

/** Write via a temp sibling and rename; the temp file is removed on failure. */
export async function writeAtomically(out: string, ext: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = tempSibling(out, ext);
  try {
    await write(tmp);
    await rename(tmp, out);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export class FfmpegMedia implements Media {
  private readonly ffmpeg: string;
  private readonly ffprobe: string;
  private readonly timeoutMs: number;

  constructor(o: FfmpegMediaOptions = {}) {
    this.ffmpeg = o.ffmpegPath ?? 'ffmpeg';
    this.ffprobe = o.ffprobePath ?? 'ffprobe';
    this.timeoutMs = o.timeoutMs ?? 300_000;
  }

  async probe(path: string, signal?: AbortSignal): Promise<ProbeResult> {
    let stdout: string;
    try {
      ({ stdout } = await runProcess(this.ffprobe, probeArgs(path), { signal, timeoutMs: PROBE_TIMEOUT_MS }));
    } catch (err) {
      if (err instanceof ProcessError && (err.kind === 'aborted' || err.kind === 'spawn')) throw err;
      throw new TaskError('input_invalid', 'not a readable media file');
    }
    const p = parseProbeJson(stdout);
    if (!p.hasVideo && !p.hasAudio) throw new TaskError('input_invalid', 'not a readable media file');
    return p;
  }

  async duration(path: string, signal?: AbortSignal): Promise<number> {
    return (await this.probe(path, signal)).durationSec;
  }

  async extractAudio(input: string, outWav: string, o: { maxSeconds?: number; sampleRate?: number; signal?: AbortSignal } = {}): Promise<void> {
    await writeAtomically(outWav, '.wav', (tmp) => this.run(extractAudioArgs(input, tmp, o), o.signal));
  }

  async muxLoop(video: string, audio: string, out: string, o: { durationSec: number; signal?: AbortSignal }): Promise<void> {
    await writeAtomically(out, '.mp4', (tmp) => this.run(muxLoopArgs(video, audio, tmp, o), o.signal));
  }

  async videoPackets(path: string, signal?: AbortSignal): Promise<VideoPackets> {
    let stdout: string;
    try {
      ({ stdout } = await runProcess(this.ffprobe, packetsArgs(path), { signal, timeoutMs: PROBE_TIMEOUT_MS * 2, maxOutputBytes: 64 * 1024 * 1024 }));
    } catch (err) {
      if (err instanceof ProcessError && err.kind === 'aborted') throw new TaskError('canceled', 'Task was canceled');
      throw new TaskError('result_invalid', 'The rendered video is not readable', { retryable: true });
    }
    const p = parseVideoPackets(stdout);
    if (!p) throw new TaskError('result_invalid', 'The rendered video has no video stream', { retryable: true });
    return p;
  }

  async transcodeFace(input: string, out: string, signal?: AbortSignal): Promise<void> {
    await writeAtomically(out, '.mp4', (tmp) => this.run(transcodeArgs(input, tmp), signal));
  }

  async makeDefaultFace(out: string, o: { seconds?: number } = {}): Promise<void> {
    await writeAtomically(out, '.mp4', (tmp) => this.run(defaultFaceArgs(tmp, o)));
  }

  /**
   * A result is accepted only when its boxes tile the file (complete, see mp4-boxes.ts) and
   * ffprobe reads video + audio of the expected duration.
   */
  async verifyMp4(path: string, o: MediaVerifyOptions = {}, signal?: AbortSignal): Promise<VerifyOutcome> {
    const structure = await checkMp4Structure(path);
    if (!structure.ok) return structure;
    let probe: ProbeResult;
    try {
      probe = await this.probe(path, signal);
    } catch (err) {
      if (err instanceof ProcessError && err.kind === 'aborted') throw err;
      return { ok: false, reason: 'not a complete, readable MP4 (still being written?)' };
    }
    if (!/mp4|mov/.test(probe.formatName)) return { ok: false, reason: `not an MP4 (${probe.formatName})` };
    if (!probe.hasVideo) return { ok: false, reason: 'no video stream' };
    if (!probe.hasAudio) return { ok: false, reason: 'no audio stream' };
    if (o.expectedDurationSec && o.expectedDurationSec > 0) {
      const tol = o.toleranceSec ?? Math.max(0.5, o.expectedDurationSec * 0.05);
      if (Math.abs(probe.durationSec - o.expectedDurationSec) > tol) {
        return { ok: false, reason: `duration ${probe.durationSec.toFixed(2)} s, expected ${o.expectedDurationSec.toFixed(2)} s` };
      }
    }
    return { ok: true, probe };
  }

  private async run(args: string[], signal?: AbortSignal): Promise<void> {
    try {
      await runProcess(this.ffmpeg, args, { signal, timeoutMs: this.timeoutMs, maxOutputBytes: 64 * 1024 });
    } catch (err) {
      if (err instanceof ProcessError && err.kind === 'aborted') throw new TaskError('canceled', 'Task was canceled');
      const tail = err instanceof ProcessError ? err.stderrTail : String(err);
      throw new TaskError('internal', `ffmpeg failed: ${tail.split('\n').pop() ?? ''}`);
    }
  }
}

/** Resolve a binary: an explicit path if executable, else the first match on PATH; null when absent. */
export async function findBinary(name: string, configured?: string): Promise<string | null> {
  const candidates = configured && (isAbsolute(configured) || configured.includes('/')) ? [configured] : (process.env.PATH ?? '').split(delimiter).map((d) => join(d, configured ?? name));
  for (const c of candidates) {
    try {
      await access(c, constants.X_OK);
      return c;
    } catch {
      /* keep looking */
    }
  }
  return null;
}
