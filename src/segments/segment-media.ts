/**
 * The ffmpeg work of long scripts (docs/segments.md), with argument arrays only:
 *  - finish a segment's speech: matched loudness, 10 ms fades (no clicks), a pause after it,
 *    padded to a whole number of video frames (so cuts fall on frame boundaries and the parts
 *    add up without drift);
 *  - the face for segment k: the face video played forward then backward (ping-pong, so
 *    looping never jumps), starting at the frame where segment k−1 ended;
 *  - stitch: the rendered parts' video copied as is (no re-encode), one sound track made from
 *    the segments' speech, then verified (duration and audio/video drift).
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { TaskError } from '../domain/errors.js';
import { SAFE_INPUT } from '../media/ffmpeg.args.js';
import { tempSibling, writeAtomically } from '../media/ffmpeg.adapter.js';
import { ProcessError, runProcess } from '../media/process.js';
import { makeWav, parseWavHeader } from '../media/wav.js';
import type { FitPlan } from './part-fit.js';
import { finishSamples } from './speech-finish.js';
import { subtitlesFilter, type BurnStyle } from './burn-args.js';

const QUIET = ['-hide_banner', '-nostdin', '-v', 'error', '-y'];
/** Sample rate segment speech is converted to when the engine's WAV is not mono PCM16. */
export const SPEECH_RATE = 44_100;
/** The ping-pong face is cut from at most this much of the face video (bounded memory: `reverse` buffers it). */
const MAX_PINGPONG_SOURCE_SEC = 30;

export interface SegmentMediaOptions {
  ffmpegPath?: string;
  ffprobePath?: string;
  timeoutMs?: number;
  /** Font and longest line of burned captions (config `captions`). */
  captionStyle?: BurnStyle;
}

/** Noto Sans CJK SC (Debian fonts-noto-cjk); the longest default line: 16 Chinese cells or 42 × 0.55 em of Latin. */
export const DEFAULT_CAPTION_STYLE: BurnStyle = { font: 'Noto Sans CJK SC', maxLineEm: Math.max(16, 42 * 0.55) };

export interface StreamFacts {
  fps: number;
  videoFrames: number;
  videoSec: number;
  audioSec: number;
  durationSec: number;
}

export class SegmentMedia {
  private readonly ffmpeg: string;
  private readonly ffprobe: string;
  private readonly timeoutMs: number;
  private readonly captionStyle: BurnStyle;

  constructor(o: SegmentMediaOptions = {}) {
    this.ffmpeg = o.ffmpegPath ?? 'ffmpeg';
    this.ffprobe = o.ffprobePath ?? 'ffprobe';
    this.timeoutMs = o.timeoutMs ?? 300_000;
    this.captionStyle = o.captionStyle ?? DEFAULT_CAPTION_STYLE;
  }

  async run(args: string[], signal?: AbortSignal): Promise<void> {
    try {
      await runProcess(this.ffmpeg, args, { signal, timeoutMs: this.timeoutMs, maxOutputBytes: 64 * 1024 });
    } catch (err) {
      if (err instanceof ProcessError && err.kind === 'aborted') throw new TaskError('canceled', 'Task was canceled');
      const tail = err instanceof ProcessError ? err.stderrTail : String(err);
      throw new TaskError('internal', `ffmpeg failed: ${tail.trim().split('\n').pop() ?? ''}`);
    }
  }

  /** Frame rate, frame count and per-stream durations (ffprobe counts the packets). */
  async streams(path: string, signal?: AbortSignal): Promise<StreamFacts> {
    const { stdout } = await runProcess(
      this.ffprobe,
      ['-v', 'error', '-count_packets', '-show_entries', 'stream=codec_type,r_frame_rate,nb_read_packets,duration:format=duration', '-of', 'json', path],
      { signal, timeoutMs: 60_000 },
    );
    const j = JSON.parse(stdout) as { streams?: Array<Record<string, string>>; format?: { duration?: string } };
    const v = j.streams?.find((s) => s.codec_type === 'video');
    const a = j.streams?.find((s) => s.codec_type === 'audio');
    const [num, den] = (v?.r_frame_rate ?? '25/1').split('/').map(Number);
    return {
      fps: den ? num / den : num || 25,
      videoFrames: Number(v?.nb_read_packets ?? 0),
      videoSec: Number(v?.duration ?? 0),
      audioSec: Number(a?.duration ?? 0),
      durationSec: Number(j.format?.duration ?? 0),
    };
  }

  /**
   * Rewrite a rendered part (in place) to exactly `plan.frames` frames with `speech` as its sound:
   * the video stream-copied when it is cut at its end, re-encoded only when its last frame must
   * be held (short) or frames are reordered across the cut (part-fit.ts).
   */
  async fitPart(video: string, speech: string, plan: Exclude<FitPlan, { kind: 'bad' | 'exact' }> | { kind: 'exact'; frames: number }, signal?: AbortSignal): Promise<void> {
    const sound = ['-c:a', 'aac', '-b:a', '128k', '-ar', '44100', '-movflags', '+faststart', '-f', 'mp4'];
    if (plan.kind === 'encode') {
      // a filter counts the frames (`-frames:v` would end the whole file, sound included); no
      // B-frames: a part decoded in display order keeps the copied neighbours' timestamps rising
      // at the cuts (a frame decoded ahead of its neighbours' would be re-timed by the muxer)
      const held = Math.max(0, plan.frames - plan.from);
      const vf = `${held > 0 ? `tpad=stop_mode=clone:stop=${held},` : ''}trim=end_frame=${plan.frames}`;
      return writeAtomically(video, '.mp4', (tmp) =>
        this.run([...QUIET, ...SAFE_INPUT, '-i', video, ...SAFE_INPUT, '-i', speech, '-map', '0:v:0', '-map', '1:a:0', '-vf', vf, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-bf', '0', '-pix_fmt', 'yuv420p', ...sound, tmp], signal),
      );
    }
    // The first `frames` packets, copied (their own file: `-frames:v` ends every stream of an
    // output), then the speech put under them.
    const cut = tempSibling(video, '.cut.mp4');
    try {
      await this.run([...QUIET, ...SAFE_INPUT, '-i', video, '-map', '0:v:0', '-c', 'copy', '-frames:v', String(plan.frames), '-f', 'mp4', cut], signal);
      await writeAtomically(video, '.mp4', (tmp) => this.run([...QUIET, '-i', cut, ...SAFE_INPUT, '-i', speech, '-map', '0:v:0', '-map', '1:a:0', '-c:v', 'copy', ...sound, tmp], signal));
    } finally {
      await rm(cut, { force: true });
    }
  }

  /**
   * Segment speech → mono PCM16 at SPEECH_RATE (ffmpeg, a plain conversion), then finished in
   * memory (speech-finish.ts: trim, level, fades, pause, whole frames). Returns its length.
   */
  async finishSpeech(input: string, out: string, o: { pauseSec: number; fps: number; levelDb: number; signal?: AbortSignal }): Promise<number> {
    const pcm = `${out}.pcm.wav`;
    try {
      // mono 16-bit PCM (what the TTS engines send) is used as is; anything else is converted
      let buf = await readFile(input);
      let info = parseWavHeader(buf);
      if (!info || info.channels !== 1 || info.bitsPerSample !== 16) {
        await this.run([...QUIET, ...SAFE_INPUT, '-i', input, '-ac', '1', '-ar', String(SPEECH_RATE), '-c:a', 'pcm_s16le', '-f', 'wav', pcm], o.signal);
        buf = await readFile(pcm);
        info = parseWavHeader(buf);
      }
      if (!info) throw new TaskError('tts_failed', 'The speech of this segment is not a readable WAV');
      const dataAt = buf.length - info.dataBytes;
      const samples = new Int16Array(buf.buffer.slice(buf.byteOffset + dataAt, buf.byteOffset + dataAt + (info.dataBytes & ~1)));
      const done = finishSamples(samples, { sampleRate: info.sampleRate, pauseSec: o.pauseSec, fps: o.fps, levelDb: o.levelDb });
      if (done.speechSec <= 0) throw new TaskError('tts_failed', 'The speech of this segment is silent');
      await writeAtomically(out, '.wav', (tmp) => writeFile(tmp, makeWav(done.samples, info.sampleRate)));
      return done.samples.length / info.sampleRate;
    } finally {
      await rm(pcm, { force: true });
    }
  }

  /**
   * The face played forward then backward, every frame a key frame (so a copy can start at any
   * frame): looping it never jumps. Returns its frame rate and length in frames.
   */
  async pingPong(face: string, out: string, signal?: AbortSignal): Promise<{ fps: number; frames: number }> {
    await writeAtomically(out, '.mp4', (tmp) =>
      this.run(
        [
          ...QUIET, ...SAFE_INPUT, '-i', face, '-t', String(MAX_PINGPONG_SOURCE_SEC),
          '-filter_complex', '[0:v]scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p,split[f][b];[b]reverse[r];[f][r]concat=n=2:v=1:a=0[v]',
          '-map', '[v]', '-an', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '1', '-crf', '16', '-f', 'mp4', tmp,
        ],
        signal,
      ),
    );
    const s = await this.streams(out, signal);
    return { fps: s.fps, frames: s.videoFrames };
  }

  /** `frames` frames of the looped ping-pong face from frame `start` on (copied, not encoded). */
  async faceClip(pingPong: string, out: string, o: { fps: number; periodFrames: number; startFrame: number; frames: number; signal?: AbortSignal }): Promise<void> {
    const start = ((o.startFrame % o.periodFrames) + o.periodFrames) % o.periodFrames;
    await writeAtomically(out, '.mp4', (tmp) =>
      this.run(
        [
          ...QUIET, '-stream_loop', '-1', '-i', pingPong,
          '-ss', (start / o.fps).toFixed(6), '-frames:v', String(o.frames), '-map', '0:v:0', '-c', 'copy', '-f', 'mp4', tmp,
        ],
        o.signal,
      ),
    );
  }

  /** The joined speech as AAC (made while the last segments still render: off the critical path). */
  async encodeSpeech(wav: string, out: string, signal?: AbortSignal): Promise<void> {
    await writeAtomically(out, '.m4a', (tmp) => this.run([...QUIET, '-i', wav, '-c:a', 'aac', '-b:a', '128k', '-ar', '44100', '-f', 'mp4', tmp], signal));
  }

  /**
   * Parts' video copied one after another, with the sound track copied from the encoded speech
   * (nothing is re-encoded); +faststart. `listDir` holds the concat list (our own files only).
   * Each part is read from its own time 0 (`inpoint 0`: a part's AAC sound starts 23 ms early,
   * its priming, and would otherwise push its picture 23 ms late) and lasts exactly its frames
   * (`duration`), so every part starts on the frame where its speech starts.
   */
  async stitch(o: { videos: Array<{ path: string; seconds: number }>; speech: string; out: string; listDir: string; signal?: AbortSignal }): Promise<void> {
    const list = `${o.listDir}/videos.txt`;
    const entry = (v: { path: string; seconds: number }) => `file '${v.path.replace(/'/g, "'\\''")}'\ninpoint 0\nduration ${v.seconds.toFixed(6)}\n`;
    await writeFile(list, `ffconcat version 1.0\n${o.videos.map(entry).join('')}`);
    await writeAtomically(o.out, '.mp4', (tmp) =>
      this.run(
        [
          ...QUIET, '-f', 'concat', '-safe', '0', '-i', list, '-i', o.speech,
          '-map', '0:v:0', '-map', '1:a:0', '-c', 'copy',
          '-movflags', '+faststart', '-f', 'mp4', tmp,
        ],
        o.signal,
      ),
    );
  }

  /**
   * A fitted part as an MPEG-TS segment of the task's HLS stream (hls-stream.ts): the video
   * copied (no re-encode), the sound copied when it is AAC (a fitted part's is: its speech),
   * else encoded to AAC. Timestamps start at `startSec`, where the part starts in the script,
   * so the segments follow each other on one timeline.
   */
  async transportSegment(part: string, out: string, startSec: number, signal?: AbortSignal): Promise<void> {
    const { stdout } = await runProcess(this.ffprobe, ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', part], { signal, timeoutMs: 60_000 });
    const audio = stdout.trim() === 'aac' ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', '128k', '-ar', '44100'];
    await writeAtomically(out, '.ts', (tmp) =>
      this.run(
        [
          ...QUIET, ...SAFE_INPUT, '-i', part, '-map', '0:v:0', '-map', '0:a:0?', '-c:v', 'copy', ...audio,
          // no mux delay: the timestamps are exactly the part's place in the script
          '-muxdelay', '0', '-muxpreload', '0', '-output_ts_offset', startSec.toFixed(6), '-f', 'mpegts', tmp,
        ],
        signal,
      ),
    );
  }

  /** The segments' speech back to back (all PCM at SPEECH_RATE: a plain copy). */
  async joinSpeech(parts: string[], out: string, listDir: string, signal?: AbortSignal): Promise<void> {
    const list = `${listDir}/speech.txt`;
    await writeFile(list, parts.map((v) => `file '${v.replace(/'/g, "'\\''")}'\n`).join(''));
    await writeAtomically(out, '.wav', (tmp) => this.run([...QUIET, '-f', 'concat', '-safe', '0', '-i', list, '-c:a', 'pcm_s16le', '-f', 'wav', tmp], signal));
  }

  /** Width and height of the first video stream (0 × 0 when unknown). */
  async frameSize(path: string, signal?: AbortSignal): Promise<{ width: number; height: number }> {
    const { stdout } = await runProcess(this.ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'json', path], { signal, timeoutMs: 60_000 });
    const v = (JSON.parse(stdout) as { streams?: Array<{ width?: number; height?: number }> }).streams?.[0];
    return { width: v?.width ?? 0, height: v?.height ?? 0 };
  }

  /** Burn subtitles into a video (re-encodes the video; the sound is copied), in the caption font. */
  async burnCaptions(video: string, srt: string, out: string, signal?: AbortSignal): Promise<void> {
    await this.burnWith(video, out, (size) => subtitlesFilter(srt, this.captionStyle, size), signal);
  }

  /** Burn with a `subtitles` filter made for the video's frame size (a caption style's). */
  async burnWith(video: string, out: string, filterFor: (size: { width: number; height: number }) => string, signal?: AbortSignal): Promise<void> {
    const filter = filterFor(await this.frameSize(video, signal));
    await writeAtomically(out, '.mp4', (tmp) =>
      this.run(
        [
          ...QUIET, ...SAFE_INPUT, '-i', video, '-vf', filter,
          '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'copy', '-movflags', '+faststart', '-f', 'mp4', tmp,
        ],
        signal,
      ),
    );
  }
}
