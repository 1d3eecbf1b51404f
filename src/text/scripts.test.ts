import { describe, expect, it } from 'vitest';
import { findUnsupported, stripUnsupported } from './scripts.js';

const scripts = (text: string, supported?: ('zh' | 'en')[]) => [...new Set(findUnsupported(text, supported).map((f) => f.script))];

describe('findUnsupported', () => {
  it('finds the scripts HeyGem users reported, with UTF-16 offsets', () => {
    expect(findUnsupported('Hi नमस्ते')).toEqual([
      { char: 'न', index: 3, script: 'Devanagari' },
      { char: 'म', index: 4, script: 'Devanagari' },
      { char: 'स', index: 5, script: 'Devanagari' },
      { char: '्', index: 6, script: 'Devanagari' },
      { char: 'त', index: 7, script: 'Devanagari' },
      { char: 'े', index: 8, script: 'Devanagari' },
    ]);
    expect(findUnsupported('雪の花')).toEqual([{ char: 'の', index: 1, script: 'Hiragana' }]);
    // an emoji before takes two UTF-16 units
    expect(findUnsupported('😀안녕')).toEqual([
      { char: '안', index: 2, script: 'Hangul' },
      { char: '녕', index: 3, script: 'Hangul' },
    ]);
  });

  it('names each script', () => {
    expect(scripts('カタカナ')).toEqual(['Katakana']);
    expect(scripts('مرحبا')).toEqual(['Arabic']);
    expect(scripts('Привет')).toEqual(['Cyrillic']);
    expect(scripts('สวัสดี')).toEqual(['Thai']);
    expect(scripts('שלום')).toEqual(['Hebrew']);
    expect(scripts('Καλημέρα')).toEqual(['Greek']);
  });

  it('accepts Chinese, English, Latin with diacritics, digits, punctuation, symbols, emoji and full-width forms', () => {
    const text = '你好，世界！Hello, café naïve Ångström. ５０％ ＡＢＣ 123 $5 ≥ ≤ ℃ 😀👍🏽 「引号」《书名》 — … \t\n';
    expect(findUnsupported(text)).toEqual([]);
  });

  it('reads a lone Greek letter as maths, not as Greek', () => {
    expect(findUnsupported('α + β = π, Δx')).toEqual([]);
  });

  it('judges against the languages given', () => {
    expect(scripts('你好 hello', ['en'])).toEqual(['Han']);
    expect(scripts('你好 hello', ['zh'])).toEqual(['Latin']);
    expect(scripts('你好 hello', ['zh', 'en'])).toEqual([]);
  });
});

describe('stripUnsupported', () => {
  it('removes the found characters and the double space they leave', () => {
    const text = 'Hello नमस्ते world 我们안녕';
    expect(stripUnsupported(text, findUnsupported(text))).toBe('Hello world 我们');
  });

  it('keeps surrogate pairs whole', () => {
    const text = '😀안😀';
    expect(stripUnsupported(text, findUnsupported(text))).toBe('😀😀');
  });

  it('changes nothing when nothing was found', () => {
    expect(stripUnsupported('中文 English', [])).toBe('中文 English');
  });
});
