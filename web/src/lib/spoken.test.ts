import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n/setup';
import { classLabel, distinctChanges, rawPreview } from './spoken';

const en = createI18n('en').t;
const zh = createI18n('zh-CN').t;

const c = (start: number, original: string, spoken: string) => ({ start, end: start + original.length, original, spoken });

describe('spoken preview', () => {
  it('lists each rewrite once, in text order, capped', () => {
    const r = distinctChanges([c(20, '$5', 'five dollars'), c(0, '$\\pi$', 'pi'), c(30, '$5', 'five dollars')]);
    expect(r.shown.map((x) => x.original)).toEqual(['$\\pi$', '$5']);
    expect(r.more).toBe(0);
    const many = Array.from({ length: 15 }, (_, i) => c(i * 3, String(i), `n${i}`));
    expect(distinctChanges(many, 12)).toMatchObject({ more: 3 });
    expect(distinctChanges(many, 12).shown).toHaveLength(12);
  });
  it('labels each rewrite with the class it was read as', () => {
    expect(classLabel(en, 'year')).toBe('year');
    expect(classLabel(en, 'url')).toBe('web address');
    expect(classLabel(en, 'cardinal')).toBe('number');
    expect(classLabel(zh, 'url')).toBe('网址');
    expect(classLabel(zh, 'money')).toBe('金额');
    expect(classLabel(en, 'something-new')).toBe('something-new');
    expect(classLabel(zh, 'something-new')).toBe('something-new');
    expect(classLabel(en, undefined)).toBe('');
  });
  it('falls back to the text as typed', () => {
    expect(rawPreview('x = 1')).toEqual({ normalized: 'x = 1', changes: [] });
  });
});
