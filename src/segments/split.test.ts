import { describe, expect, it } from 'vitest';
import { planSegments, sentences } from './split.js';

describe('sentences', () => {
  it('cuts at sentence ends and paragraph breaks, never inside numbers, URLs, formulas or abbreviations', () => {
    const t = 'Dr. Smith paid $3.50 on Jan. 5. See https://example.com/a.b for details! The formula $E = mc^2$. is famous.\n\nNew paragraph. U.S. policy, e.g. this one, is fine. Pi is 3.14159 approx. right?';
    expect(sentences(t).map((s) => s.text)).toEqual([
      'Dr. Smith paid $3.50 on Jan. 5.',
      'See https://example.com/a.b for details!',
      'The formula $E = mc^2$. is famous.',
      'New paragraph.',
      'U.S. policy, e.g. this one, is fine.',
      'Pi is 3.14159 approx. right?',
    ]);
    expect(sentences(t)[2].paragraphEnd).toBe(true);
  });

  it('keeps offsets into the original text', () => {
    const t = '  One.   Two!\nThree?';
    for (const s of sentences(t)) expect(t.slice(s.start, s.end)).toBe(s.text);
  });
});

describe('planSegments', () => {
  const script = Array.from({ length: 40 }, (_, i) => `Sentence ${i + 1} explains one more step of the method in plain words.`).join(' ');

  it('keeps a script that fits the target as one segment', () => {
    expect(planSegments('Hello there. How are you?', { targetSeconds: 20, charsPerSecond: 15, maxSegments: 100 }).texts).toEqual(['Hello there. How are you?']);
  });

  it('cuts a long script into near-equal segments of whole sentences, in order, losing nothing', () => {
    const plan = planSegments(script, { targetSeconds: 20, charsPerSecond: 15, maxSegments: 100 });
    const total = plan.estimatedSec.reduce((a, b) => a + b, 0);
    expect(plan.texts.length).toBe(Math.ceil(total / 20));
    expect(plan.texts.join(' ')).toBe(script);
    for (const t of plan.texts) expect(t).toMatch(/^Sentence \d+ .*words\.$/);
    const mean = total / plan.texts.length;
    for (const s of plan.estimatedSec) expect(Math.abs(s - mean)).toBeLessThan(0.5 * mean);
  });

  it('on several GPUs, keeps segments near the target early and shortens them toward the end, losing nothing', () => {
    const plan = planSegments(script, { targetSeconds: 20, charsPerSecond: 15, maxSegments: 100, gpus: 3 });
    const sec = plan.estimatedSec;
    const sentence = sec.at(-1)!; // the last segments are single sentences
    expect(plan.texts.join(' ')).toBe(script);
    expect(plan.texts.at(-1)).toMatch(/^Sentence 40 /);
    expect(Math.max(...sec)).toBeLessThanOrEqual(20 + sentence / 2);
    expect(sec[0]).toBeGreaterThan(15);
    for (let k = 1; k < sec.length; k++) expect(sec[k]).toBeLessThanOrEqual(sec[k - 1] + sentence * 0.6); // never grows again
    expect(plan.texts.slice(-6).every((t) => t.split('. ').length === 1)).toBe(true); // the last two rounds: one sentence each
  });

  it('keeps segments at least as long as a learned floor (a render with a fixed cost per job)', () => {
    const plan = planSegments(script, { targetSeconds: 20, charsPerSecond: 15, maxSegments: 100, gpus: 3, minSeconds: 12 });
    expect(plan.texts.join(' ')).toBe(script);
    for (const s of plan.estimatedSec.slice(0, -1)) expect(s).toBeGreaterThanOrEqual(12 - 2.5); // to the nearest sentence
    expect(plan.texts.length).toBeLessThan(planSegments(script, { targetSeconds: 20, charsPerSecond: 15, maxSegments: 100, gpus: 3 }).texts.length);
  });

  it('caps the number of segments on several GPUs too', () => {
    expect(planSegments(script, { targetSeconds: 2, charsPerSecond: 15, maxSegments: 5, gpus: 3 }).texts).toHaveLength(5);
  });

  it('caps the number of segments', () => {
    expect(planSegments(script, { targetSeconds: 2, charsPerSecond: 15, maxSegments: 4 }).texts).toHaveLength(4);
  });
});
