/**
 * The one ffmpeg pass that shapes a rendered video for delivery (docs/output.md). Pure: a plan
 * from the rendered frame size, the face box and the task's output options, then an argument
 * array. Unit-tested without spawning anything (output-args.test.ts); run by output-pass.ts.
 *
 * Framing: a window of the wanted aspect is cut around the face when the speaker's head and
 * shoulders fit in it ("crop"); otherwise the whole picture is scaled into the frame and the rest
 * filled with the background ("pad"). The picture is never scaled up: a size above what the face
 * video gives is brought down to it (the request was refused at intake when the size was known).
 */
import type { OutputOptions, ShareBox, WatermarkPosition } from '../domain/output-options.js';
import { QUIET, SAFE_INPUT } from './ffmpeg.args.js';

export interface Size {
  width: number;
  height: number;
}

export interface FramePlan {
  kind: 'crop' | 'pad' | 'scale';
  /** The frame delivered. */
  out: Size;
  /** crop: the window cut from the source (pixels of the source). */
  crop: { x: number; y: number; w: number; h: number } | null;
  /** pad: where the scaled picture sits in the frame. */
  content: { x: number; y: number; w: number; h: number } | null;
  /** The requested size was above what the source gives and was brought down. */
  clamped: boolean;
}

const even = (v: number) => Math.max(2, Math.round(v / 2) * 2);
const evenDown = (v: number) => Math.max(2, Math.floor(v / 2) * 2);
/** An offset: even (yuv420p chroma), from 0. */
const evenAt = (v: number) => Math.max(0, Math.floor(v / 2) * 2);

/** Width ÷ height of an aspect such as `9:16`. */
export function aspectRatio(aspect: string): number {
  const [w, h] = aspect.split(':').map(Number);
  return w / h;
}

/** The frame ratio the options ask for: the aspect, else the requested size's, else the source's. */
export function targetRatio(o: Pick<OutputOptions, 'aspect' | 'resolution'>, src: Size): number {
  if (o.aspect) return aspectRatio(o.aspect);
  if (o.resolution && 'width' in o.resolution) return o.resolution.width / o.resolution.height;
  return src.width / src.height;
}

/**
 * The head and shoulders the crop must keep: the face box widened by 60 % of its width on each
 * side, 40 % of its height above and 100 % below, within the frame (pixels of the source).
 */
export function keepBox(face: ShareBox, src: Size): { x0: number; y0: number; x1: number; y1: number } {
  const fx = face.x * src.width;
  const fy = face.y * src.height;
  const fw = face.w * src.width;
  const fh = face.h * src.height;
  return {
    x0: Math.max(0, fx - 0.6 * fw),
    y0: Math.max(0, fy - 0.4 * fh),
    x1: Math.min(src.width, fx + 1.6 * fw),
    y1: Math.min(src.height, fy + 2 * fh),
  };
}

/** Largest size of ratio `r` inside `box`, even. */
const fitInside = (r: number, box: Size): Size => (box.width / box.height > r ? { width: evenDown(box.height * r), height: evenDown(box.height) } : { width: evenDown(box.width), height: evenDown(box.width / r) });

/** The frame to deliver: the requested size (height alone keeps the ratio), at most `max`. */
function outSize(o: Pick<OutputOptions, 'resolution'>, r: number, max: Size): { out: Size; clamped: boolean } {
  const req = o.resolution;
  if (!req) return { out: max, clamped: false };
  const want = 'width' in req ? { width: even(req.width), height: even(req.height) } : { width: even(req.height * r), height: even(req.height) };
  if (want.width <= max.width && want.height <= max.height) return { out: want, clamped: false };
  return { out: max, clamped: true };
}

export function planFrame(src: Size, o: Pick<OutputOptions, 'aspect' | 'resolution' | 'fit' | 'face'>): FramePlan {
  const r = targetRatio(o, src);
  const srcRatio = src.width / src.height;
  if (Math.abs(srcRatio - r) / r < 0.01) {
    const { out, clamped } = outSize(o, r, { width: evenDown(src.width), height: evenDown(src.height) });
    return { kind: 'scale', out, crop: null, content: null, clamped };
  }
  const win = fitInside(r, src);
  let useCrop = o.fit === 'crop';
  let cropX = Math.round((src.width - win.width) / 2);
  let cropY = Math.round((src.height - win.height) / 2);
  if (o.face) {
    const cx = (o.face.x + o.face.w / 2) * src.width;
    const cy = (o.face.y + o.face.h / 2) * src.height;
    cropX = Math.round(Math.min(Math.max(0, cx - win.width / 2), src.width - win.width));
    cropY = Math.round(Math.min(Math.max(0, cy - win.height / 2), src.height - win.height));
    if (o.fit === 'auto') {
      const k = keepBox(o.face, src);
      useCrop = k.x0 >= cropX && k.x1 <= cropX + win.width && k.y0 >= cropY && k.y1 <= cropY + win.height;
    }
  }
  if (useCrop) {
    const { out, clamped } = outSize(o, r, win);
    return { kind: 'crop', out, crop: { x: cropX, y: cropY, w: win.width, h: win.height }, content: null, clamped };
  }
  // pad: the frame holds the whole picture at its own scale at most
  const frame = srcRatio > r ? { width: evenDown(src.width), height: even(src.width / r) } : { width: even(src.height * r), height: evenDown(src.height) };
  const { out, clamped } = outSize(o, r, frame);
  const k = Math.min(out.width / src.width, out.height / src.height);
  const w = Math.min(out.width, even(src.width * k));
  const h = Math.min(out.height, even(src.height * k));
  return { kind: 'pad', out, crop: null, content: { x: evenAt((out.width - w) / 2), y: evenAt((out.height - h) / 2), w, h }, clamped };
}

const hex = (c: string) => `0x${c.slice(1)}`;

const OVERLAY_AT: Record<WatermarkPosition, (m: number) => string> = {
  'top-left': (m) => `${m}:${m}`,
  'top-right': (m) => `main_w-overlay_w-${m}:${m}`,
  'bottom-left': (m) => `${m}:main_h-overlay_h-${m}`,
  'bottom-right': (m) => `main_w-overlay_w-${m}:main_h-overlay_h-${m}`,
  center: () => '(main_w-overlay_w)/2:(main_h-overlay_h)/2',
};

/** Our own image files (validated at upload, named by us): read as one picture, nothing else. */
const IMAGE_INPUT = ['-f', 'image2', '-pattern_type', 'none', '-protocol_whitelist', 'file'];

export interface OutputPassInput {
  video: string;
  out: string;
  plan: FramePlan;
  options: Pick<OutputOptions, 'background' | 'watermark' | 'format'>;
  /** Paths of the uploaded images named by the options (background, watermark). */
  images: { background?: string; watermark?: string };
  /** A `subtitles=…` filter to burn the captions in the same pass (drawn on the delivered frame). */
  subtitles?: string;
  /** Frame rate of the render: a background picture is repeated at it (the frame keeps the render's rate). */
  fps?: number;
}

/** The filter graph, from input 0 (the render) and the image inputs, to [v]. */
export function outputFilterGraph(i: Omit<OutputPassInput, 'video' | 'out'>): { graph: string; imageInputs: string[][] } {
  const { plan, options: o } = i;
  const images: string[][] = [];
  const parts: string[] = [];
  const W = plan.out.width;
  const H = plan.out.height;
  if (plan.kind === 'crop') {
    const c = plan.crop!;
    parts.push(`[0:v]crop=${c.w}:${c.h}:${c.x}:${c.y},scale=${W}:${H},setsar=1[f]`);
  } else if (plan.kind === 'scale') {
    parts.push(`[0:v]scale=${W}:${H},setsar=1[f]`);
  } else {
    const c = plan.content!;
    if (o.background.startsWith('#')) {
      parts.push(`[0:v]scale=${c.w}:${c.h},setsar=1,pad=${W}:${H}:${c.x}:${c.y}:color=${hex(o.background)}[f]`);
    } else {
      // repeated for as long as the render lasts (overlay ends with it: eof_action=endall)
      images.push(['-loop', '1', '-framerate', String(i.fps && i.fps > 0 ? Math.round(i.fps * 1000) / 1000 : 25), ...IMAGE_INPUT, '-i', i.images.background!]);
      const n = images.length;
      parts.push(`[${n}:v]scale=${W}:${H}:force_original_aspect_ratio=increase,crop=${W}:${H},setsar=1,format=yuv420p[bg]`);
      parts.push(`[0:v]scale=${c.w}:${c.h},setsar=1[fg]`);
      parts.push(`[bg][fg]overlay=${c.x}:${c.y}:eof_action=endall[f]`);
    }
  }
  let last = 'f';
  if (o.watermark) {
    // one picture: overlay repeats its last frame to the end
    images.push([...IMAGE_INPUT, '-i', i.images.watermark!]);
    const n = images.length;
    const w = even(W * o.watermark.scale);
    const margin = Math.round(0.03 * Math.min(W, H));
    parts.push(`[${n}:v]scale=${w}:-2,format=rgba,colorchannelmixer=aa=${o.watermark.opacity.toFixed(3)}[wm]`);
    parts.push(`[${last}][wm]overlay=${OVERLAY_AT[o.watermark.position](margin)}:format=auto[w]`);
    last = 'w';
  }
  parts.push(`[${last}]${i.subtitles ? `${i.subtitles},` : ''}format=yuv420p[v]`);
  return { graph: parts.join(';'), imageInputs: images };
}

/** Codec arguments of a delivery format. MP4: H.264 + the AAC sound copied; WebM: VP9 + Opus. */
export function codecArgs(format: OutputPassInput['options']['format']): string[] {
  if (format === 'webm') {
    // realtime + cpu-used 8: a few times faster than "good" for a talking head, still VP9 quality per bit
    return ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1', '-b:v', '0', '-crf', '33', '-c:a', 'libopus', '-b:a', '96k', '-f', 'webm'];
  }
  return ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-c:a', 'copy', '-movflags', '+faststart', '-f', 'mp4'];
}

export function outputPassArgs(i: OutputPassInput): string[] {
  const { graph, imageInputs } = outputFilterGraph(i);
  return [
    ...QUIET,
    ...SAFE_INPUT, '-i', i.video,
    ...imageInputs.flat(),
    '-filter_complex', graph,
    '-map', '[v]', '-map', '0:a:0?',
    ...codecArgs(i.options.format),
    i.out,
  ];
}
