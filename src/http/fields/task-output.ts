/**
 * Output options and caption style of a new task, from its request fields (generate's form,
 * JSON or urlencoded body; template renders pass their stored fields the same way): parsed,
 * bound to the face video's face box and size, images and font checked. docs/output.md.
 */
import type { CaptionStyle } from '../../domain/caption-style.js';
import type { OutputOptions, ShareBox } from '../../domain/output-options.js';
import type { Gateway } from '../../gateway.js';
import type { Size } from '../../media/output-args.js';
import { captionStyleOf, checkFont } from './caption-style.js';
import { bindToFace, checkImages, outputFieldsOf, outputOptionsOf } from './output-options.js';

export const TASK_OUTPUT_FIELDS = ['aspect', 'resolution', 'fit', 'background', 'watermark', 'watermark_position', 'watermark_scale', 'watermark_opacity', 'format', 'caption_style'] as const;

export interface TaskOutput {
  outputOptions: OutputOptions | null;
  captionStyle: CaptionStyle | null;
}

/** The face video's face box and size when known (an upload's check, an avatar's stored check). */
export interface FaceFacts {
  box: ShareBox | null;
  size: Size | null;
}

const shareBox = (b: { x: number; y: number; w: number; h: number } | null | undefined): ShareBox | null => (b ? { x: b.x, y: b.y, w: b.w, h: b.h } : null);

export async function taskOutputOf(gw: Pick<Gateway, 'segments'>, fields: Record<string, unknown> | null | undefined, face: FaceFacts): Promise<TaskOutput> {
  const parsed = outputOptionsOf(outputFieldsOf(fields));
  const captionStyle = captionStyleOf(fields?.caption_style, gw.segments.captionPresets);
  const outputOptions = bindToFace(parsed, { box: shareBox(face.box), size: face.size });
  await checkImages(outputOptions, (id) => gw.segments.images.exists(id));
  await checkFont(captionStyle, (f) => gw.segments.fonts.has(f));
  return { outputOptions, captionStyle };
}

/** Face facts of an avatar (its stored face check) for taskOutputOf. */
export function avatarFace(check: { face: { x: number; y: number; w: number; h: number } | null; width: number; height: number } | undefined): FaceFacts {
  return check ? { box: shareBox(check.face), size: check.width > 0 ? { width: check.width, height: check.height } : null } : { box: null, size: null };
}
