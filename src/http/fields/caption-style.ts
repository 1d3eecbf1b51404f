/**
 * The `caption_style` field (docs/output.md, "Caption styles"): a preset name, or an inline
 * style (a JSON object, or its text in a form field or CSV cell) optionally over a preset
 * (`base`). 400 `caption_style_invalid` for an unknown preset or a bad key; 422 `font_not_found`
 * for a family fontconfig does not know.
 */
import { applyStyleFields, type CaptionStyle } from '../../domain/caption-style.js';
import { DomainError } from '../../domain/errors.js';

export function captionStyleOf(value: unknown, presets: Record<string, CaptionStyle>): CaptionStyle | null {
  if (value === undefined || value === null || value === '') return null;
  let raw: unknown = value;
  if (typeof value === 'string') {
    const t = value.trim();
    if (!t.startsWith('{')) {
      const preset = presets[t.toLowerCase()];
      if (!preset) throw new DomainError('caption_style_invalid', 'invalid', `caption_style "${t.slice(0, 40)}" names no preset`, { allowed: Object.keys(presets) });
      return preset;
    }
    try {
      raw = JSON.parse(t);
    } catch {
      throw new DomainError('caption_style_invalid', 'invalid', 'caption_style is neither a preset name nor a JSON object');
    }
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new DomainError('caption_style_invalid', 'invalid', 'caption_style must be a preset name or an object');
  const fields = raw as Record<string, unknown>;
  const baseName = fields.base === undefined ? 'default' : String(fields.base);
  const base = presets[baseName];
  if (!base) throw new DomainError('caption_style_invalid', 'invalid', `caption_style base "${baseName.slice(0, 40)}" names no preset`, { allowed: Object.keys(presets) });
  const { style, problems } = applyStyleFields(base, fields, null);
  if (!style) throw new DomainError('caption_style_invalid', 'invalid', `caption_style: ${problems.join('; ')}`, { problems });
  return style;
}

/** 422 when the style's font is not installed (libass would fall back to another font silently). */
export async function checkFont(style: CaptionStyle | null, has: (family: string) => Promise<boolean>): Promise<void> {
  if (style && !(await has(style.font))) {
    throw new DomainError('font_not_found', 'unprocessable', `Font "${style.font}" is not installed on this server (fc-list); GET /api/caption-styles lists the fonts`, { font: style.font });
  }
}
