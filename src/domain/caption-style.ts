/**
 * How captions look (docs/output.md, "Caption styles"): a named preset from config
 * (`captions.styles`) or an inline object, resolved at intake to this full value and stored
 * with the task. Used when captions are burned and, where WebVTT can say it, as cue settings.
 */
export const CAPTION_POSITIONS = ['bottom', 'top', 'middle'] as const;
export type CaptionPosition = (typeof CAPTION_POSITIONS)[number];

export interface CaptionStyle {
  /** The preset it came from (null for an inline style). */
  name: string | null;
  /** fontconfig family (checked against the installed fonts). */
  font: string;
  /** Font size in pixels of a 1080-line frame (scaled with the frame); null = fit the line to the width. */
  size: number | null;
  /** `#rrggbb`. */
  color: string;
  outlineColor: string;
  /** Outline width in pixels of a 1080-line frame (0 = none); with `box`, the box's padding. */
  outline: number;
  /** An opaque box behind the text instead of an outline. */
  box: boolean;
  boxColor: string;
  bold: boolean;
  position: CaptionPosition;
  /** Longest Latin-script line in characters, longest Chinese line in full-width cells, lines per cue. */
  maxLineChars: number;
  maxLineCharsCjk: number;
  maxLines: number;
  uppercase: boolean;
}

/** The style captions had before styles existed (config `captions` fills the layout and font). */
export const BASE_CAPTION_STYLE: CaptionStyle = {
  name: 'default',
  font: 'Noto Sans CJK SC',
  size: null,
  color: '#ffffff',
  outlineColor: '#000000',
  outline: 4,
  box: false,
  boxColor: '#000000',
  bold: false,
  position: 'bottom',
  maxLineChars: 42,
  maxLineCharsCjk: 16,
  maxLines: 2,
  uppercase: false,
};

/** WebVTT cue settings for a style (what VTT can carry: line, position, align). */
export function vttCueSettings(s: Pick<CaptionStyle, 'position'> | null | undefined): string {
  if (!s) return '';
  const line = s.position === 'top' ? '5%,start' : s.position === 'middle' ? '50%,center' : '95%,end';
  return ` line:${line} position:50% align:center`;
}

export const STYLE_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;
/** fontconfig family names we pass to libass: nothing that needs escaping in a filter graph. */
export const FONT_NAME = /^[\w .-]{1,80}$/;
const COLOR = /^#[0-9a-fA-F]{6}$/;

/** Built-in presets, over the base style (config `captions` sets the base's font and layout). */
export const BUILTIN_STYLES: Record<string, Record<string, unknown>> = {
  default: {},
  'bold-box': { bold: true, box: true, box_color: '#000000', outline: 10, size: 44 },
  'zh-default': { font: 'Noto Sans CJK SC', size: 48, outline: 5, max_line_chars_cjk: 14 },
};

const KEYS = ['base', 'font', 'size', 'color', 'outline_color', 'outline', 'box', 'box_color', 'bold', 'position', 'max_line_chars', 'max_line_chars_cjk', 'max_lines', 'uppercase'] as const;
const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function flag(v: unknown): boolean | null {
  if (v === true || v === 'true' || v === '1' || v === 1) return true;
  if (v === false || v === 'false' || v === '0' || v === 0) return false;
  return null;
}

function intIn(v: unknown, lo: number, hi: number): number | null {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= lo && n <= hi ? n : null;
}

/**
 * A style object (API: snake_case; config may use camelCase) over `base`. Pure: returns the
 * style or the problems, one per key.
 */
export function applyStyleFields(base: CaptionStyle, raw: Record<string, unknown>, name: string | null): { style: CaptionStyle | null; problems: string[] } {
  const problems: string[] = [];
  const s: CaptionStyle = { ...base, name };
  for (const [k0, v] of Object.entries(raw)) {
    const k = snake(k0) as (typeof KEYS)[number];
    if (!(KEYS as readonly string[]).includes(k)) {
      problems.push(`unknown key "${k0.slice(0, 40)}" (allowed: ${KEYS.join(', ')})`);
      continue;
    }
    const need = (ok: boolean, what: string) => {
      if (!ok) problems.push(`${k} must be ${what}`);
      return ok;
    };
    switch (k) {
      case 'base':
        break;
      case 'font':
        if (need(typeof v === 'string' && FONT_NAME.test(v), 'a font family name (letters, digits, space, . _ -)')) s.font = (v as string).trim();
        break;
      case 'size': {
        const n = v === null || v === 'auto' ? null : intIn(v, 12, 200);
        if (need(v === null || v === 'auto' || n !== null, 'an integer from 12 to 200 (pixels of a 1080-line frame) or "auto"')) s.size = n;
        break;
      }
      case 'color':
      case 'outline_color':
      case 'box_color':
        if (need(typeof v === 'string' && COLOR.test(v), 'a colour #rrggbb')) s[k === 'color' ? 'color' : k === 'outline_color' ? 'outlineColor' : 'boxColor'] = (v as string).toLowerCase();
        break;
      case 'outline': {
        const n = intIn(v, 0, 40);
        if (need(n !== null, 'an integer from 0 to 40 (pixels of a 1080-line frame)')) s.outline = n!;
        break;
      }
      case 'box':
      case 'bold':
      case 'uppercase': {
        const b = flag(v);
        if (need(b !== null, 'true or false')) s[k] = b!;
        break;
      }
      case 'position':
        if (need(typeof v === 'string' && (CAPTION_POSITIONS as readonly string[]).includes(v), `one of ${CAPTION_POSITIONS.join(', ')}`)) s.position = v as CaptionPosition;
        break;
      case 'max_line_chars': {
        const n = intIn(v, 10, 200);
        if (need(n !== null, 'an integer from 10 to 200')) s.maxLineChars = n!;
        break;
      }
      case 'max_line_chars_cjk': {
        const n = intIn(v, 4, 100);
        if (need(n !== null, 'an integer from 4 to 100')) s.maxLineCharsCjk = n!;
        break;
      }
      case 'max_lines': {
        const n = intIn(v, 1, 4);
        if (need(n !== null, 'an integer from 1 to 4')) s.maxLines = n!;
        break;
      }
    }
  }
  return problems.length ? { style: null, problems } : { style: s, problems };
}

/** The presets a deployment offers: built-ins, then config `captions.styles` (each over `default`, or its `base`). */
export function buildPresets(base: CaptionStyle, configured: Record<string, Record<string, unknown>> = {}): { presets: Record<string, CaptionStyle>; problems: string[] } {
  const presets: Record<string, CaptionStyle> = {};
  const problems: string[] = [];
  const all = { ...BUILTIN_STYLES, ...configured };
  const resolve = (name: string, seen: string[]): CaptionStyle | null => {
    if (presets[name]) return presets[name];
    const raw = all[name];
    if (!raw || seen.includes(name)) return null;
    const baseName = typeof raw.base === 'string' ? raw.base : name === 'default' ? null : 'default';
    const under = baseName ? resolve(baseName, [...seen, name]) : base;
    if (!under) {
      problems.push(`captions.styles.${name}: base "${String(raw.base)}" names no preset`);
      return null;
    }
    const r = applyStyleFields(under, raw, name);
    problems.push(...r.problems.map((p) => `captions.styles.${name}: ${p}`));
    if (r.style) presets[name] = r.style;
    return r.style;
  };
  for (const name of Object.keys(all)) {
    if (!STYLE_NAME.test(name)) problems.push(`captions.styles: "${name.slice(0, 40)}" is not a preset name (a-z, 0-9, _ -)`);
    else resolve(name, []);
  }
  return { presets, problems };
}
