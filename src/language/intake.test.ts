import { describe, expect, it } from 'vitest';
import { checkScripts, describeUnsupported, parseLanguageOption, presentChar, resolveLanguage } from './intake.js';
import { normalizePreview } from './preview.js';

describe('the language field', () => {
  it('reads auto, zh and en in any case, the regional tags clients send, and absent as auto', () => {
    expect([undefined, null, '', 'auto', 'AUTO'].map(parseLanguageOption)).toEqual(['auto', 'auto', 'auto', 'auto', 'auto']);
    expect(['zh', 'ZH', 'zh-CN', 'zh_cn', 'zh-Hans', 'zh-Hans-CN', 'zh-TW', 'cmn', ' zh '].map(parseLanguageOption)).toEqual(Array(9).fill('zh'));
    expect(['en', 'EN', 'en-US', 'en_GB'].map(parseLanguageOption)).toEqual(Array(4).fill('en'));
    expect(['fr', 'zh-yue', 'english', 'chinese', 5, {}, ['zh']].map(parseLanguageOption)).toEqual(Array(7).fill(null));
  });

  it('resolves auto from the text, keeps a named language', () => {
    expect(resolveLanguage('auto', '这款手机售价2999元。')).toBe('zh');
    expect(resolveLanguage('auto', 'The iPhone costs $999.')).toBe('en');
    expect(resolveLanguage('en', '这款手机售价2999元。')).toBe('en');
  });
});

describe('scripts the TTS cannot speak', () => {
  const text = 'Hi 안녕 नमस्ते, 你好';
  it('refuse: every character with its position and script', () => {
    const r = checkScripts(text, 'refuse');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.found.map((f) => [f.char, f.index, f.script]).slice(0, 3)).toEqual([
      ['안', 3, 'Hangul'],
      ['녕', 4, 'Hangul'],
      ['न', 6, 'Devanagari'],
    ]);
    expect(describeUnsupported(r.found)).toBe('Hangul (2): 안녕; Devanagari (6): नमस्ते');
    expect(presentChar(r.found[0], 4)).toEqual({ row: 4, char: '안', index: 3, script: 'Hangul', code_point: 'U+C548' });
  });

  it('strip: the text without them and what was removed; pass: unchanged', () => {
    const s = checkScripts(text, 'strip');
    expect(s).toMatchObject({ ok: true, text: 'Hi , 你好' });
    expect(s.ok && s.removed.length).toBe(8);
    expect(checkScripts(text, 'pass')).toEqual({ ok: true, text, removed: [] });
    expect(checkScripts('你好 hello', 'refuse')).toEqual({ ok: true, text: '你好 hello', removed: [] });
  });

  it('the normalize preview lists removals as changes with their original offsets', () => {
    const p = normalizePreview('价格2999元 안녕', 'auto', 'strip');
    expect(p.language).toBe('zh');
    expect(p.normalized).not.toMatch(/[안녕0-9]/);
    const removed = p.changes.filter((c) => c.class === 'unsupported_script');
    expect(removed.map((c) => [c.original, c.start, c.end, c.spoken])).toEqual([
      ['안', 8, 9, ''],
      ['녕', 9, 10, ''],
    ]);
    // sorted by position with the normalizer's own changes
    expect(p.changes.map((c) => c.start)).toEqual([...p.changes.map((c) => c.start)].sort((a, b) => a - b));
  });
});
