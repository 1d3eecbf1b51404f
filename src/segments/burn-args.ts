/**
 * The ffmpeg `subtitles` filter that burns captions (docs/segments.md, "Burned captions"). Pure.
 *
 * libass draws SRT text on a 384×288 script canvas scaled to the video's height, so a line's
 * room is 288 × width/height script units. The font size is the default 18 unless the longest
 * allowed line would not fit the frame — a portrait face video has less than a third of a
 * landscape one's room — because libass would otherwise wrap it into a third line on its own.
 * The font is named (fontconfig family): without a font holding Chinese glyphs every Han
 * character is drawn as an empty box.
 */
import type { CaptionStyle } from '../domain/caption-style.js';

export interface BurnStyle {
  /** fontconfig family, e.g. "Noto Sans CJK SC" (Debian fonts-noto-cjk). */
  font: string;
  /** Longest caption line in em: full-width cells of Chinese, about 0.55 em a Latin character. */
  maxLineEm: number;
}

const SCRIPT_HEIGHT = 288;
const DEFAULT_SIZE = 18;

export function captionFontSize(width: number, height: number, maxLineEm: number): number {
  if (!(width > 0 && height > 0 && maxLineEm > 0)) return DEFAULT_SIZE;
  const room = (SCRIPT_HEIGHT * width) / height;
  return Math.max(6, Math.min(DEFAULT_SIZE, Math.floor((0.92 * room) / maxLineEm)));
}

/** The filter argument for ffmpeg's -vf, with the SRT path escaped for the filter graph. */
export function subtitlesFilter(srtPath: string, style: BurnStyle, size: { width: number; height: number }): string {
  const escaped = srtPath.replace(/\\/g, '\\\\').replace(/:/g, '\\:').replace(/'/g, "\\'");
  // the font name is checked by the config schema (letters, digits, space, . _ -): nothing to escape
  const fontSize = captionFontSize(size.width, size.height, style.maxLineEm);
  return `subtitles=filename='${escaped}':charenc=UTF-8:force_style='FontName=${style.font},FontSize=${fontSize},Outline=1'`;
}

/** `#rrggbb` → ASS `&H00BBGGRR` (alpha 00 = opaque). */
export function assColor(hex: string): string {
  const h = hex.slice(1).toUpperCase();
  return `&H00${h.slice(4, 6)}${h.slice(2, 4)}${h.slice(0, 2)}`;
}

const ALIGNMENT: Record<CaptionStyle['position'], number> = { bottom: 2, middle: 5, top: 8 };

/** Longest allowed line of a style, in em (as BurnStyle.maxLineEm). */
export const styleLineEm = (s: Pick<CaptionStyle, 'maxLineChars' | 'maxLineCharsCjk'>): number => Math.max(s.maxLineCharsCjk, s.maxLineChars * 0.55);

/**
 * The `subtitles` filter for a caption style (docs/output.md, "Caption styles"). Sizes are given
 * in pixels of a 1080-line frame and scaled to libass's 288-line canvas, so a style looks the
 * same at every output size; without a size the line is fitted to the width as before.
 */
export function styledSubtitlesFilter(srtPath: string, style: CaptionStyle, size: { width: number; height: number }): string {
  const escaped = srtPath.replace(/\\/g, '\\\\').replace(/:/g, '\\:').replace(/'/g, "\\'");
  const toScript = (px: number) => Math.round(((px * SCRIPT_HEIGHT) / 1080) * 10) / 10;
  const fontSize = style.size === null ? captionFontSize(size.width, size.height, styleLineEm(style)) : toScript(style.size);
  // the font name is checked at intake / config (letters, digits, space, . _ -): nothing to escape
  const fields = [
    `FontName=${style.font}`,
    `FontSize=${fontSize}`,
    `PrimaryColour=${assColor(style.color)}`,
    // BorderStyle 3 draws an opaque box in the outline colour
    `OutlineColour=${assColor(style.box ? style.boxColor : style.outlineColor)}`,
    `BorderStyle=${style.box ? 3 : 1}`,
    // in box style the outline is the box's padding
    `Outline=${style.box ? Math.max(1, toScript(style.outline || 8)) : toScript(style.outline)}`,
    'Shadow=0',
    `Bold=${style.bold ? 1 : 0}`,
    `Alignment=${ALIGNMENT[style.position]}`,
  ];
  return `subtitles=filename='${escaped}':charenc=UTF-8:force_style='${fields.join(',')}'`;
}
