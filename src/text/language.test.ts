import { describe, expect, it } from 'vitest';
import { detectLanguage, isLanguageOption, languageCounts } from './language.js';

describe('detectLanguage', () => {
  it.each([
    ['这款手机售价2999元，比去年便宜了20%。', 'zh'],
    ['新款iPhone 15支持USB-C和Wi-Fi', 'zh'],
    ['我用GPT-4o和ChatGPT写代码', 'zh'],
    ['公式$x^2+y^2=z^2$', 'zh'],
    ['I met 王小明 at the office yesterday.', 'en'],
    ['Windows 10和Windows 11', 'zh'],
    ['2.4GHz和5GHz Wi-Fi', 'zh'],
    ['Please call 王先生 when you arrive at the airport', 'en'],
    ['The price is 5 dollars.', 'en'],
    ['2024-03-05', 'en'],
    ['', 'en'],
    ['日本語', 'zh'],
  ] as const)('%s → %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it('counts a hyphenated or apostrophised word once, and a single letter not at all', () => {
    expect(languageCounts("Wi-Fi isn't x")).toEqual({ han: 0, latinWords: 2, longestEnglishRun: 2 });
    expect(languageCounts('B超和CT检查')).toEqual({ han: 4, latinWords: 1, longestEnglishRun: 1 });
  });

  it('counts the longest run of Latin words a Han character does not break', () => {
    expect(languageCounts('I met 王小明 at the office, 2 days ago.').longestEnglishRun).toBe(5);
  });

  it('counts Han characters outside the basic plane', () => {
    expect(languageCounts('𠮷野家')).toEqual({ han: 3, latinWords: 0, longestEnglishRun: 0 });
  });

  it('reads long text in one pass', () => {
    const text = '中文句子带English words。'.repeat(20_000);
    expect(detectLanguage(text)).toBe('zh');
  });

  it('accepts only auto, zh and en as options', () => {
    expect(['auto', 'zh', 'en', 'fr', undefined, 1].map(isLanguageOption)).toEqual([true, true, true, false, false, false]);
  });
});
