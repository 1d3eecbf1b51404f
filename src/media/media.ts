/**
 * The Media port: everything the gateway asks of ffmpeg/ffprobe. The real adapter
 * (ffmpeg.adapter.ts) runs the system binaries with argument arrays; argument lists are
 * built by pure functions (ffmpeg.args.ts) so they are unit-tested without spawning.
 */
export interface ProbeResult {
  formatName: string;
  durationSec: number;
  hasVideo: boolean;
  hasAudio: boolean;
  videoCodec?: string;
  /** The video's pixel format (e.g. yuv420p, yuv420p10le). */
  pixFmt?: string;
  audioCodec?: string;
  width?: number;
  height?: number;
  /** The video stream's own length (a one-frame video inside a long audio track is short here). */
  videoDurationSec?: number;
  /** Frames of the video stream: counted by the container, else duration × frame rate. */
  frameCount?: number;
  /** Average frame rate of the video stream (0 when the container does not say). */
  fps?: number;
  /** The audio stream's own length. */
  audioDurationSec?: number;
  /** Display rotation in degrees from the stream's display matrix or `rotate` tag (0, 90, 180, 270). */
  rotation?: number;
}

export interface MediaVerifyOptions {
  /** Expected duration (the speech); the result must be within `toleranceSec` of it. */
  expectedDurationSec?: number;
  toleranceSec?: number;
}

/** A rendered video's frames as the file stores them: what cutting it to its speech is decided from. */
export interface VideoPackets {
  fps: number;
  /** Presentation time of each video packet, seconds, in decode (file) order. */
  pts: number[];
  /** Length of its sound stream (0 without one). */
  audioSec: number;
}

export type VerifyOutcome = { ok: true; probe: ProbeResult } | { ok: false; reason: string };

export interface Media {
  /** ffprobe a file. Rejects (TaskError input_invalid) when it is not a readable media file. */
  probe(path: string, signal?: AbortSignal): Promise<ProbeResult>;
  /** Extract a mono PCM16 WAV reference voice from an upload (video or audio), at most maxSeconds. */
  extractAudio(input: string, outWav: string, opts?: { maxSeconds?: number; sampleRate?: number; signal?: AbortSignal }): Promise<void>;
  /** Duration in seconds of any media file (WAV included). */
  duration(path: string, signal?: AbortSignal): Promise<number>;
  /**
   * Loop/trim `video` to the audio's duration and use `audio` as its sound track:
   * H.264 + AAC, yuv420p, +faststart. Written to a temp name and renamed (never half-written).
   */
  muxLoop(video: string, audio: string, out: string, opts: { durationSec: number; signal?: AbortSignal }): Promise<void>;
  /** Complete MP4 with video + audio and (optionally) the expected duration? */
  verifyMp4(path: string, opts?: MediaVerifyOptions, signal?: AbortSignal): Promise<VerifyOutcome>;
  /** The video packets of a rendered file (ffprobe); rejects (TaskError result_invalid, retryable) when unreadable. */
  videoPackets(path: string, signal?: AbortSignal): Promise<VideoPackets>;
  /** Re-encode a face to H.264 yuv420p + AAC in MP4 (ffmpeg.args.ts `transcodeArgs`), atomically. */
  transcodeFace(input: string, out: string, signal?: AbortSignal): Promise<void>;
  /** Generate the default face video (no binary media shipped in the repo). */
  makeDefaultFace(out: string, opts?: { seconds?: number }): Promise<void>;
}
