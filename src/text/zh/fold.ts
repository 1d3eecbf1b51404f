/**
 * Full-width forms (U+FF01–U+FF5E) folded to ASCII, one UTF-16 unit for one, so offsets into the
 * folded text are offsets into the original: "１２３" → "123", "ＩＰＨＯＮＥ" → "IPHONE",
 * "２２：５８" → "22:58". The ideographic space is a space; the full-width comma is kept.
 */
export function foldWidth(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    // the full-width comma stays: folded, "1，200" would read as one thousand two hundred
    if ((k >= 0xff01 && k <= 0xff5e && k !== 0xff0c) || k === 0x3000) {
      out += text.slice(from, i) + (k === 0x3000 ? ' ' : String.fromCharCode(k - 0xfee0));
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Full-width letters and digits (copied folded when no span covers them: "ＩＰＨＯＮＥ" → "IPHONE"). */
export const isFullWidthAlnum = (k: number) => (k >= 0xff10 && k <= 0xff19) || (k >= 0xff21 && k <= 0xff3a) || (k >= 0xff41 && k <= 0xff5a);
