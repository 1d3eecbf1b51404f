/**
 * Which language a script is spoken in (docs/text-normalization.md, "Chinese").
 * Mixed text is normal: a Chinese sentence holds English brand names, an English one a Chinese
 * name. Each Han character is about one spoken syllable and each Latin word at least one, so the
 * text is Chinese when it holds at least as many Han characters as Latin words. Pure, one pass.
 */
export type SpeechLanguage = 'zh' | 'en';
export type LanguageOption = SpeechLanguage | 'auto';

export const SPEECH_LANGUAGES: readonly SpeechLanguage[] = ['zh', 'en'];

/** Han ideographs (CJK Unified, Extension A, Compatibility) and, via a regex, the supplementary planes. */
const isHanCode = (k: number) => (k >= 0x4e00 && k <= 0x9fff) || (k >= 0x3400 && k <= 0x4dbf) || (k >= 0xf900 && k <= 0xfaff);
const HAN_SUPPLEMENTARY = /\p{Script=Han}/u;
const isLatinLetter = (k: number) => (k >= 65 && k <= 90) || (k >= 97 && k <= 122) || (k >= 0xc0 && k <= 0x24f && k !== 0xd7 && k !== 0xf7) || (k >= 0xff21 && k <= 0xff3a) || (k >= 0xff41 && k <= 0xff5a);

/**
 * Counts Han characters and Latin words: runs of two or more Latin letters, joined by ' or -
 * inside ("Wi-Fi" is one word). A single letter is a variable or an initial ("x", "B超"), not a word.
 */
export function languageCounts(text: string): { han: number; latinWords: number; longestEnglishRun: number } {
  let han = 0;
  let latinWords = 0;
  let inWord = false;
  let wordLength = 0;
  // Latin words in a row with nothing but spaces, digits and punctuation between them (a Han character ends a run)
  let run = 0;
  let longestEnglishRun = 0;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    if (isLatinLetter(k)) {
      if (!inWord) wordLength = 0;
      if (++wordLength === 2) {
        latinWords++;
        longestEnglishRun = Math.max(longestEnglishRun, ++run);
      }
      inWord = true;
      continue;
    }
    // an apostrophe or hyphen between letters keeps the word going
    if ((k === 39 || k === 45 || k === 0x2019) && inWord && isLatinLetter(text.charCodeAt(i + 1))) continue;
    inWord = false;
    if (isHanCode(k)) {
      han++;
      run = 0;
    } else if (k >= 0xd800 && k <= 0xdbff) {
      if (HAN_SUPPLEMENTARY.test(text.slice(i, i + 2))) {
        han++;
        run = 0;
      }
      i++;
    }
  }
  return { han, latinWords, longestEnglishRun };
}

/**
 * 'zh' when the text holds Han characters and either at least as many of them as Latin words,
 * or no run of four Latin words in a row (names and brands in Chinese text come one to three
 * words at a time: "Windows 10和Windows 11", "MacBook Pro"; an English sentence has longer runs);
 * 'en' otherwise (also for text with neither, such as a bare number: it is read as it always was).
 */
export function detectLanguage(text: string): SpeechLanguage {
  const { han, latinWords, longestEnglishRun } = languageCounts(text);
  return han > 0 && (han >= latinWords || longestEnglishRun < 4) ? 'zh' : 'en';
}

export function isLanguageOption(v: unknown): v is LanguageOption {
  return v === 'auto' || v === 'zh' || v === 'en';
}
