/**
 * Text measured in characters (Unicode code points), not UTF-16 units: a limit of 5000
 * characters must accept 5000 emoji, and a preview cut must never split a surrogate pair.
 */

/** Number of code points; a lone surrogate counts as one. */
export function charCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // a high surrogate followed by a low one is one character
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The first `max` code points of `s` (all of it when shorter). */
export function firstChars(s: string, max: number): string {
  if (s.length <= max) return s; // UTF-16 length ≥ code points: nothing to cut
  let n = 0;
  let i = 0;
  while (i < s.length && n < max) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
    i += pair ? 2 : 1;
    n++;
  }
  return s.slice(0, i);
}
