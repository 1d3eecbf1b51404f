/**
 * Pure ffmpeg/ffprobe argument builders and ffprobe output parsing: unit-tested
 * without spawning anything.
 */
import type { ProbeResult } from './media.js';

export const QUIET = ['-hide_banner', '-nostdin', '-v', 'error', '-y'];

/**
 * Input hardening for files users uploaded: only self-contained containers and local files. A
 * playlist (HLS, concat) disguised as .mp4 could otherwise make ffmpeg read other files on this
 * host, e.g. another user's upload. Applied before every `-i` and to ffprobe.
 */
export const SAFE_INPUT = ['-format_whitelist', 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,wav,mp3,ogg,flac', '-protocol_whitelist', 'file,pipe'];

export function probeArgs(path: string): string[] {
  return ['-v', 'error', ...SAFE_INPUT, '-print_format', 'json', '-show_format', '-show_streams', path];
}

/** Mono PCM16 WAV, first `maxSeconds` of the input's first audio stream. */
export function extractAudioArgs(input: string, out: string, o: { maxSeconds?: number; sampleRate?: number } = {}): string[] {
  const args = [...QUIET, ...SAFE_INPUT, '-i', input, '-map', '0:a:0', '-vn', '-ac', '1', '-ar', String(o.sampleRate ?? 44100), '-c:a', 'pcm_s16le'];
  if (o.maxSeconds) args.push('-t', o.maxSeconds.toFixed(3));
  return [...args, '-f', 'wav', out];
}

/**
 * Loop the face video to the speech and use the speech as sound. `-t <audio duration>`, not
 * `-shortest` (which overshoots: 8.4 s of audio gave 9.08 s with Debian's ffmpeg 5.1). Even dimensions
 * for yuv420p; +faststart so players can start before the download ends.
 */
export function muxLoopArgs(video: string, audio: string, out: string, o: { durationSec: number }): string[] {
  return [
    ...QUIET,
    ...SAFE_INPUT, '-stream_loop', '-1', '-i', video,
    ...SAFE_INPUT, '-i', audio,
    '-t', o.durationSec.toFixed(3),
    '-map', '0:v:0', '-map', '1:a:0',
    '-vf', 'scale=trunc(iw/2)*2:trunc(ih/2)*2',
    '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '128k', '-ar', '44100',
    '-movflags', '+faststart',
    '-f', 'mp4', out,
  ];
}

/**
 * The default face: a calm background with two eyes and a mouth that opens and closes, made
 * from lavfi filters only (no fonts, no shipped media), plus a silent sound track.
 */
export function defaultFaceArgs(out: string, o: { seconds?: number } = {}): string[] {
  const s = String(o.seconds ?? 4);
  const face = [
    'drawbox=x=200:y=90:w=240:h=300:color=0xf1c27d:t=fill',
    'drawbox=x=255:y=180:w=36:h=22:color=0x2b2b2b:t=fill',
    'drawbox=x=349:y=180:w=36:h=22:color=0x2b2b2b:t=fill',
    "drawbox=x=280:y=300:w=80:h='8+12*abs(sin(t*6))':color=0x8b2f3c:t=fill",
  ].join(',');
  return [
    ...QUIET,
    '-f', 'lavfi', '-i', `color=c=0x3a506b:s=640x480:r=25:d=${s}`,
    '-f', 'lavfi', '-i', `anullsrc=r=44100:cl=mono`,
    '-t', s,
    '-vf', face,
    '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '64k',
    '-movflags', '+faststart', '-f', 'mp4', out,
  ];
}

/**
 * Whether a face must be re-encoded before a lip-sync container (or a browser) can use it: what
 * HeyGem's own client does to every face — H.264, 8-bit 4:2:0 (yuv420p), even size, in MP4.
 * HEVC, VP9, AV1, 10-bit or 4:4:4, odd sizes and other containers are transcoded once.
 */
export function needsTranscode(p: ProbeResult): boolean {
  const mp4 = p.formatName.split(',').some((f) => f === 'mp4' || f === 'mov');
  const evenSize = (p.width ?? 0) % 2 === 0 && (p.height ?? 0) % 2 === 0;
  const pix = p.pixFmt === undefined || p.pixFmt === 'yuv420p' || p.pixFmt === 'yuvj420p';
  return !(mp4 && p.videoCodec === 'h264' && pix && (!p.hasAudio || p.audioCodec === 'aac') && evenSize);
}

export function transcodeArgs(input: string, out: string): string[] {
  return [
    ...QUIET, ...SAFE_INPUT, '-i', input,
    '-map', '0:v:0', '-map', '0:a:0?',
    '-vf', 'scale=trunc(iw/2)*2:trunc(ih/2)*2',
    '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '128k', '-ar', '44100',
    '-movflags', '+faststart', '-f', 'mp4', out,
  ];
}

/** Every video packet's presentation time plus the streams' rates and lengths (parseVideoPackets). */
export function packetsArgs(path: string): string[] {
  return ['-v', 'error', ...SAFE_INPUT, '-show_entries', 'packet=stream_index,pts_time:stream=index,codec_type,r_frame_rate,duration', '-of', 'json', path];
}

/** ffprobe's answer to packetsArgs → frame rate, packet times in file order, sound length; null without video. */
export function parseVideoPackets(json: string): { fps: number; pts: number[]; audioSec: number } | null {
  const j = JSON.parse(json) as { streams?: Array<Record<string, string | number>>; packets?: Array<{ stream_index?: number; pts_time?: string }> };
  const v = j.streams?.find((s) => s.codec_type === 'video');
  const a = j.streams?.find((s) => s.codec_type === 'audio');
  if (!v) return null;
  const fps = rate(String(v.r_frame_rate ?? '')) || 25;
  const pts = (j.packets ?? []).filter((p) => p.stream_index === v.index && p.pts_time !== undefined).map((p) => Number(p.pts_time));
  return { fps, pts, audioSec: Number(a?.duration ?? 0) };
}

interface RawProbe {
  format?: { format_name?: string; duration?: string };
  streams?: Array<{
    codec_type?: string; codec_name?: string; pix_fmt?: string; width?: number; height?: number; duration?: string; nb_frames?: string; avg_frame_rate?: string; r_frame_rate?: string;
    tags?: { rotate?: string };
    side_data_list?: Array<{ rotation?: number | string }>;
  }>;
}

export function parseProbeJson(json: string): ProbeResult {
  const raw = JSON.parse(json) as RawProbe;
  const streams = raw.streams ?? [];
  const v = streams.find((s) => s.codec_type === 'video' && s.codec_name !== 'mjpeg' && s.codec_name !== 'png');
  const a = streams.find((s) => s.codec_type === 'audio');
  const duration = Number(raw.format?.duration ?? v?.duration ?? a?.duration ?? NaN);
  return {
    formatName: raw.format?.format_name ?? '',
    durationSec: Number.isFinite(duration) ? duration : 0,
    hasVideo: Boolean(v),
    hasAudio: Boolean(a),
    videoCodec: v?.codec_name,
    ...(v?.pix_fmt ? { pixFmt: v.pix_fmt } : {}),
    audioCodec: a?.codec_name,
    width: v?.width,
    height: v?.height,
    ...videoLength(v, duration),
    ...(v ? { fps: rate(v.avg_frame_rate) || rate(v.r_frame_rate), rotation: rotationOf(v) } : {}),
    ...(a && Number.isFinite(Number(a.duration)) ? { audioDurationSec: Number(a.duration) } : {}),
  };
}

/** Phone videos store portrait as landscape plus a rotation; ffmpeg applies it when decoding. */
function rotationOf(v: NonNullable<RawProbe['streams']>[number]): number {
  const side = v.side_data_list?.find((d) => d.rotation !== undefined)?.rotation;
  const deg = Number(side ?? v.tags?.rotate ?? 0);
  return Number.isFinite(deg) ? (((Math.round(deg / 90) * 90) % 360) + 360) % 360 : 0;
}

/** Width × height as shown (rotation applied): what a viewer, the face check and ffmpeg's decoder see. */
export function displaySize(p: Pick<ProbeResult, 'width' | 'height' | 'rotation'>): { width: number; height: number } {
  const w = p.width ?? 0;
  const h = p.height ?? 0;
  return p.rotation === 90 || p.rotation === 270 ? { width: h, height: w } : { width: w, height: h };
}

/**
 * One still at each of `times` (seconds), scaled to `width`×`height`, as raw RGB24 on stdout,
 * in one ffmpeg run. ffmpeg applies the rotation metadata (autorotate), so stills stand upright.
 *
 * - `seek` (long videos): each still is its own input seeked before decoding (`-ss` before
 *   `-i`), so a 10-minute upload costs ten short decodes from the nearest keyframe.
 * - `scan` (short clips): one decode from the start, keeping the first frame at or after each
 *   time. Ten seeks into a 10 s clip with one keyframe would decode 50 s of frames; the scan 10.
 */
export function sampleFramesArgs(input: string, times: readonly number[], width: number, height: number, mode: 'seek' | 'scan' = 'seek'): string[] {
  const out = ['-fps_mode', 'passthrough', '-frames:v', String(times.length), '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
  const still = `scale=${width}:${height},setsar=1,format=rgb24`;
  if (mode === 'scan') {
    const t = times.map((x) => x.toFixed(3));
    // a frame is kept when it is the first at or after some time: nothing kept yet, or the last kept is before it
    const pick = [`isnan(prev_selected_t)*gte(t\\,${t[0]})`, ...t.slice(1).map((x) => `gte(t\\,${x})*lt(prev_selected_t\\,${x})`)].join('+');
    return [...QUIET, ...SAFE_INPUT, '-i', input, '-map', '0:v:0', '-vf', `select=${pick},${still}`, ...out];
  }
  const inputs = times.flatMap((t) => ['-threads', '1', '-ss', t.toFixed(3), ...SAFE_INPUT, '-i', input]);
  const chains = times.map((_, i) => `[${i}:v:0]trim=end_frame=1,${still}[f${i}]`);
  const concat = `${times.map((_, i) => `[f${i}]`).join('')}concat=n=${times.length}:v=1:a=0,setpts=N/TB[out]`;
  return [...QUIET, ...inputs, '-filter_complex', [...chains, concat].join(';'), '-map', '[out]', ...out];
}

/** "30000/1001" → 29.97; 0 when absent or malformed. */
function rate(r: string | undefined): number {
  const [n, d] = (r ?? '').split('/').map(Number);
  return Number.isFinite(n) && Number.isFinite(d) && d > 0 ? n / d : 0;
}

function videoLength(v: NonNullable<RawProbe['streams']>[number] | undefined, fallbackSec: number): Pick<ProbeResult, 'videoDurationSec' | 'frameCount'> {
  if (!v) return {};
  const own = Number(v.duration);
  const sec = Number.isFinite(own) ? own : Number.isFinite(fallbackSec) ? fallbackSec : undefined;
  const counted = Number(v.nb_frames);
  const fps = rate(v.avg_frame_rate) || rate(v.r_frame_rate);
  const frames = Number.isFinite(counted) && counted > 0 ? counted : sec !== undefined && fps > 0 ? Math.round(sec * fps) : undefined;
  return { ...(sec !== undefined ? { videoDurationSec: sec } : {}), ...(frames !== undefined ? { frameCount: frames } : {}) };
}
