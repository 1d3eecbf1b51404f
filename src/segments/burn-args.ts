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
