/**
 * The output fields of POST /api/generate (and of template renders, which pass their stored
 * fields here): `aspect`, `resolution`, `fit`, `background`, `watermark`,
 * `watermark_position|scale|opacity`, `format` (docs/output.md). The one validation: the pure
 * parser in domain/output-options.ts, answered as 400 `output_invalid`; a size above what the
 * face video gives, or an image id nobody uploaded, is 422 `output_invalid`.
 */
import { DomainError } from '../../domain/errors.js';
import { OUTPUT_FIELDS, parseOutputFields, type OutputOptions, type ShareBox } from '../../domain/output-options.js';
import { planFrame, type Size } from '../../media/output-args.js';

/** The output fields of a form or a JSON body, by name. */
export function outputFieldsOf(fields: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of OUTPUT_FIELDS) if (fields && fields[k] !== undefined) out[k] = fields[k];
  return out;
}

export function outputOptionsOf(fields: Record<string, unknown>): OutputOptions | null {
  const { value, problems } = parseOutputFields(fields);
  if (problems.length) {
    throw new DomainError('output_invalid', 'invalid', problems.map((p) => p.message).join('; '), { details: problems });
  }
  return value;
}

/**
 * Bind the options to the face video: its face box (framing) and, when its size is known, refuse
 * a size it cannot give without upscaling (422, with the largest it can).
 */
export function bindToFace(o: OutputOptions | null, face: { box: ShareBox | null; size: Size | null }): OutputOptions | null {
  if (!o) return o;
  const bound = { ...o, face: face.box };
  if (face.size && face.size.width > 0 && o.resolution) {
    const plan = planFrame(face.size, bound);
    if (plan.clamped) {
      const asked = 'width' in o.resolution ? `${o.resolution.width}x${o.resolution.height}` : `${o.resolution.height} lines`;
      throw new DomainError('output_invalid', 'unprocessable', `resolution ${asked} is above what the face video (${face.size.width}x${face.size.height}) gives for this frame; at most ${plan.out.width}x${plan.out.height}`, {
        max_resolution: `${plan.out.width}x${plan.out.height}`,
      });
    }
  }
  return bound;
}

/** 422 for an image id that names no uploaded image. */
export async function checkImages(o: OutputOptions | null, exists: (id: string) => Promise<boolean>): Promise<void> {
  if (!o) return;
  const ids = [o.background.startsWith('img_') ? o.background : null, o.watermark?.image ?? null].filter((x): x is string => !!x);
  for (const id of ids) if (!(await exists(id))) throw new DomainError('output_invalid', 'unprocessable', `No uploaded image ${id} (POST /api/output-images)`, { image: id });
}
