import { describe, expect, it } from 'vitest';
import { matchLanguage, pickLanguage } from './detect';

describe('UI language', () => {
  it('follows the browser: any Chinese → zh-CN, English → en, anything else → English', () => {
    for (const tag of ['zh', 'zh-CN', 'zh-TW', 'zh-Hans-CN', 'ZH-hk']) expect(pickLanguage(null, [tag])).toBe('zh-CN');
    expect(pickLanguage(null, ['en-US'])).toBe('en');
    expect(pickLanguage(null, ['de-DE'])).toBe('en');
    expect(pickLanguage(null, [])).toBe('en');
    // the first supported one of the preferences wins
    expect(pickLanguage(null, ['fr-FR', 'zh-CN', 'en'])).toBe('zh-CN');
    expect(pickLanguage(null, ['en-GB', 'zh-CN'])).toBe('en');
    expect(matchLanguage('zhx')).toBeNull(); // not a Chinese tag
  });
  it('prefers a remembered choice, ignoring one it does not know', () => {
    expect(pickLanguage('en', ['zh-CN'])).toBe('en');
    expect(pickLanguage('zh-CN', ['en-US'])).toBe('zh-CN');
    expect(pickLanguage('klingon', ['zh-CN'])).toBe('zh-CN');
  });
});
