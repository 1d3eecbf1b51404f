import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n/setup';
import { errorMessage, errorText, unsupportedChars } from './errors';

const en = createI18n('en').t;
const zh = createI18n('zh-CN').t;

describe('API errors in the UI language', () => {
  it('shows a known code from the catalog, with the code and its hint', () => {
    expect(errorText(en, 'rate_limited', 'Too many requests, retry in 3 s')).toBe('Too many requests (rate_limited) — Wait a moment and try again.');
    expect(errorText(zh, 'rate_limited', 'Too many requests, retry in 3 s')).toBe('请求过于频繁（rate_limited）— 请稍候再试。');
    expect(errorText(zh, 'text_missing', 'No text provided')).toBe('请输入要朗读的文本（text_missing）');
    expect(errorText(zh, 'task_not_found', 'Task not found')).toBe('没有这个任务（或已被删除）（task_not_found）');
  });
  it("falls back to the server's message for a code the catalog does not know", () => {
    expect(errorText(zh, 'brand_new_code', 'Something new went wrong')).toBe('Something new went wrong（brand_new_code）');
    expect(errorText(en, 'brand_new_code', 'Something new went wrong')).toBe('Something new went wrong (brand_new_code)');
  });
  it('says which HTTP status came back when the answer had no error body', () => {
    expect(errorText(zh, 'http_502', 'Request failed (502)')).toBe('网关返回了 HTTP 状态码 502（http_502）');
    expect(errorText(en, 'http_502', 'Request failed (502)')).toBe('The gateway answered with HTTP status 502 (http_502)');
  });
  it('names the characters of unsupported_script when the body lists them', () => {
    const extra = { characters: [{ char: 'क', index: 0 }, { char: '한', index: 5 }, { char: 'क', index: 9 }] };
    expect(unsupportedChars(extra)).toBe('क, 한');
    expect(unsupportedChars({ chars: ['ア', 'イ'] })).toBe('ア, イ');
    // the gateway's own shape
    expect(unsupportedChars({ details: [{ char: 'न', index: 0, script: 'Devanagari', code_point: 'U+0928' }, { char: '한', index: 2, script: 'Hangul', code_point: 'U+D55C' }], count: 2 })).toBe('न, 한');
    expect(unsupportedChars({ characters: [{ character: 'ア' }, { text: 'イ' }, 3, null] })).toBe('ア, イ');
    expect(unsupportedChars({})).toBe('');
    expect(unsupportedChars(undefined)).toBe('');
    expect(errorMessage(zh, 'unsupported_script', 'Unsupported characters', extra)).toBe('文本中含有语音无法朗读的字符：क, 한');
    expect(errorMessage(en, 'unsupported_script', 'Unsupported characters', {})).toBe('The text holds characters the voice cannot speak');
    expect(errorText(en, 'unsupported_script', 'x', extra)).toMatch(/: क, 한 \(unsupported_script\) — Remove them/);
  });
});
