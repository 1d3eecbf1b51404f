import { describe, expect, it } from 'vitest';
import { planSegments, sentences } from './split.js';
import { spokenUnits } from './spoken-units.js';

describe('Chinese sentences', () => {
  it('end at 。！？； with no space after them, closing quotes kept', () => {
    const t = '这款手机售价2999元，比去年便宜了20%。现在下单，3天内发货！他说：“真的吗？”当然；我们保证。';
    expect(sentences(t, 'zh').map((s) => s.text)).toEqual(['这款手机售价2999元，比去年便宜了20%。', '现在下单，3天内发货！', '他说：“真的吗？”', '当然；', '我们保证。']);
    for (const s of sentences(t, 'zh')) expect(t.slice(s.start, s.end)).toBe(s.text);
  });

  it('end at ! or ? right before a Chinese sentence, never inside a number', () => {
    expect(sentences('太棒了!我们走吧?好的。体温36.5度。', 'zh').map((s) => s.text)).toEqual(['太棒了!', '我们走吧?', '好的。', '体温36.5度。']);
  });

  it('leave English text as before', () => {
    expect(sentences('Dr. Smith paid $3.50. Then he left!').map((s) => s.text)).toEqual(['Dr. Smith paid $3.50.', 'Then he left!']);
  });
});

describe('Chinese segments', () => {
  it('cut a long script at sentence ends', () => {
    const script = Array.from({ length: 30 }, (_, i) => `第${i + 1}步，我们把方法用简单的话再解释一遍。`).join('');
    const plan = planSegments(script, { targetSeconds: 20, charsPerSecond: 15, maxSegments: 100, language: 'zh' });
    expect(plan.texts.length).toBeGreaterThan(1);
    expect(plan.texts.join('')).toBe(script);
    for (const t of plan.texts) expect(t.endsWith('。')).toBe(true);
  });

  it('cut a sentence too long for one segment at ，and 、', () => {
    const clause = '我们今天要讲的内容包括产品的设计、生产、销售和售后服务';
    const sentence = `${Array.from({ length: 12 }, () => clause).join('，')}。`;
    const plan = planSegments(sentence, { targetSeconds: 20, charsPerSecond: 15, maxSegments: 100, language: 'zh' });
    expect(plan.texts.length).toBeGreaterThan(1);
    expect(plan.texts.join('')).toBe(sentence);
    for (const t of plan.texts.slice(0, -1)) expect(t).toMatch(/[，、]$/);
    // every piece fits the target (each clause alone does)
    for (const sec of plan.estimatedSec) expect(sec).toBeLessThanOrEqual(20 + 1e-9);
  });

  it('estimate a Han character as three spoken units (about 0.2 s at 15 units/s)', () => {
    expect(spokenUnits('你好')).toBe(6);
    expect(spokenUnits('Hi 你')).toBe(6);
    expect(spokenUnits('𠀀')).toBe(3);
  });
});
