/**
 * What a task's video should look like once rendered (docs/output.md): frame shape, size,
 * background, watermark and container. Pure values, parsed at the edge
 * (src/http/fields/output-options.ts), stored with the task and applied in one ffmpeg pass after
 * the render (src/media/output-args.ts). The HeyGem container never sees them.
 */
export const ASPECTS = ['16:9', '9:16', '1:1', '4:5'] as const;
export type Aspect = (typeof ASPECTS)[number];
export const FITS = ['auto', 'crop', 'pad'] as const;
export type Fit = (typeof FITS)[number];
export const FORMATS = ['mp4', 'webm'] as const;
export type OutputFormat = (typeof FORMATS)[number];
export const WATERMARK_POSITIONS = ['top-left', 'top-right', 'bottom-left', 'bottom-right', 'center'] as const;
export type WatermarkPosition = (typeof WATERMARK_POSITIONS)[number];

/** A box as shares (0..1) of the frame's width and height. */
export interface ShareBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface WatermarkOptions {
  /** An uploaded image (`POST /api/output-images`): `img_` + 32 hex of its SHA-256. */
  image: string;
  position: WatermarkPosition;
  /** Width of the watermark as a share of the output's width. */
  scale: number;
  /** 0 (invisible) .. 1 (opaque). */
  opacity: number;
}

export interface OutputOptions {
  aspect: Aspect | null;
  /** Requested size; null = the largest the face video gives without upscaling. */
  resolution: { width: number; height: number } | { height: number } | null;
  fit: Fit;
  /** `#rrggbb` or an uploaded image id (`img_…`), behind a padded frame. */
  background: string;
  watermark: WatermarkOptions | null;
  format: OutputFormat;
  /** The speaker's box in the face video, from its face check at intake (null when unknown). */
  face: ShareBox | null;
}

export const DEFAULT_BACKGROUND = '#000000';

/** True when the options change nothing: the render is delivered as it is (no extra pass). */
export function isPlainOutput(o: OutputOptions | null | undefined): boolean {
  return !o || (o.aspect === null && o.resolution === null && o.watermark === null && o.format === 'mp4');
}

export const OUTPUT_MEDIA_TYPES: Record<OutputFormat, string> = { mp4: 'video/mp4', webm: 'video/webm' };

/** The file extension of a task's video. */
export const outputExtension = (o: Pick<OutputOptions, 'format'> | null | undefined): OutputFormat => o?.format ?? 'mp4';

/** The request fields that set output options (form fields, JSON keys, CSV columns). */
export const OUTPUT_FIELDS = ['aspect', 'resolution', 'fit', 'background', 'watermark', 'watermark_position', 'watermark_scale', 'watermark_opacity', 'format'] as const;

export interface OutputFieldProblem {
  field: (typeof OUTPUT_FIELDS)[number];
  message: string;
}

export const IMAGE_ID = /^img_[0-9a-f]{32}$/;
const COLOR = /^#[0-9a-fA-F]{6}$/;
/** Longest side a delivered video may ask for (8K). */
export const MAX_OUTPUT_SIDE = 7680;

const given = (v: unknown) => v !== undefined && v !== null && v !== '';
const text = (v: unknown) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : null);

function numberIn(v: unknown, lo: number, hi: number): number | null {
  const s = text(v);
  const n = s === null || s === '' ? NaN : Number(s);
  return Number.isFinite(n) && n >= lo && n <= hi ? n : null;
}

function resolutionOf(v: unknown): OutputOptions['resolution'] | undefined {
  const s = (text(v) ?? '').toLowerCase().replace(/p$/, '');
  const m = /^(\d{2,5})(?:[x×](\d{2,5}))?$/.exec(s);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = m[2] === undefined ? null : Number(m[2]);
  if (b === null) return a >= 64 && a <= MAX_OUTPUT_SIDE ? { height: a } : undefined;
  return a >= 64 && b >= 64 && a <= MAX_OUTPUT_SIDE && b <= MAX_OUTPUT_SIDE ? { width: a, height: b } : undefined;
}

/**
 * Output options from request fields (strings from a form or a CSV cell, or JSON values). Pure:
 * every problem is listed with its field; `value` is null when no field was given.
 */
export function parseOutputFields(f: Record<string, unknown>): { value: OutputOptions | null; problems: OutputFieldProblem[] } {
  const problems: OutputFieldProblem[] = [];
  const bad = (field: OutputFieldProblem['field'], message: string) => problems.push({ field, message });
  if (!OUTPUT_FIELDS.some((k) => given(f[k]))) return { value: null, problems };
  const pick = <T extends string>(field: OutputFieldProblem['field'], allowed: readonly T[], fallback: T): T => {
    if (!given(f[field])) return fallback;
    const v = (text(f[field]) ?? '').toLowerCase();
    if ((allowed as readonly string[]).includes(v)) return v as T;
    bad(field, `${field} must be one of ${allowed.join(', ')}`);
    return fallback;
  };
  const before = problems.length;
  const picked = given(f.aspect) ? pick('aspect', ASPECTS, '16:9') : null;
  const aspect = problems.length > before ? null : picked; // a bad aspect is not compared with the resolution
  const fit = pick('fit', FITS, 'auto');
  const format = pick('format', FORMATS, 'mp4');
  let resolution: OutputOptions['resolution'] = null;
  if (given(f.resolution)) {
    const r = resolutionOf(f.resolution);
    if (r === undefined) bad('resolution', `resolution must be WIDTHxHEIGHT (e.g. 1080x1920) or a height (e.g. 1080), each 64..${MAX_OUTPUT_SIDE}`);
    else resolution = r;
    if (r && 'width' in r && aspect) {
      const [aw, ah] = aspect.split(':').map(Number);
      if (Math.abs(r.width / r.height - aw / ah) > 0.01 * (aw / ah)) bad('resolution', `resolution ${r.width}x${r.height} is not ${aspect}; give a height alone to keep the aspect`);
    }
  }
  let background = DEFAULT_BACKGROUND;
  if (given(f.background)) {
    const b = text(f.background) ?? '';
    if (COLOR.test(b)) background = b.toLowerCase();
    else if (IMAGE_ID.test(b)) background = b;
    else bad('background', 'background must be a colour #rrggbb or an uploaded image id (img_…, POST /api/output-images)');
  }
  let watermark: WatermarkOptions | null = null;
  if (given(f.watermark)) {
    const image = text(f.watermark) ?? '';
    if (!IMAGE_ID.test(image)) bad('watermark', 'watermark must be an uploaded image id (img_…, POST /api/output-images)');
    const position = pick('watermark_position', WATERMARK_POSITIONS, 'bottom-right');
    const scale = given(f.watermark_scale) ? numberIn(f.watermark_scale, 0.02, 1) : 0.15;
    if (scale === null) bad('watermark_scale', 'watermark_scale must be a number from 0.02 to 1 (share of the video width)');
    const opacity = given(f.watermark_opacity) ? numberIn(f.watermark_opacity, 0, 1) : 1;
    if (opacity === null) bad('watermark_opacity', 'watermark_opacity must be a number from 0 to 1');
    watermark = { image, position, scale: scale ?? 0.15, opacity: opacity ?? 1 };
  } else {
    for (const k of ['watermark_position', 'watermark_scale', 'watermark_opacity'] as const) if (given(f[k])) bad(k, `${k} needs a watermark`);
  }
  return { value: problems.length ? null : { aspect, resolution, fit, background, watermark, format, face: null }, problems };
}
