/**
 * How long a speech text takes to say, in one unit for every language: a Han character (a
 * Mandarin syllable, about 0.2 s) counts as three, any other character as one — so a speaking
 * rate learned from English tasks (characters per second) also estimates Chinese ones, and the
 * reverse. Measured with espeak-ng (docs/segments.md): English ≈ 15 characters/s, Mandarin
 * ≈ 4–5 Han characters/s; fish-speech speaks at about the same rates.
 */
const HAN_GLOBAL = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u3041-\u30FF]|[\u{20000}-\u{3FFFD}]/gu;
export const HAN_UNITS = 3;

export function spokenUnits(speech: string): number {
  const han = speech.match(HAN_GLOBAL)?.length ?? 0;
  // a Han character outside the BMP is two UTF-16 units: count code points, not code units
  return [...speech].length - han + HAN_UNITS * han;
}
