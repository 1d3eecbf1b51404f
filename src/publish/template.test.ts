import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.js';
import { parsePublishChoice, PublishChoiceError } from './choice.js';
import { renderKey, renderTemplate, textPreview } from './template.js';

const at = Date.UTC(2026, 0, 5, 7, 8, 9);

describe('templates', () => {
  it('fills {task_id}, {date}, {datetime} and {text}; leaves unknown placeholders visible', () => {
    expect(renderTemplate('HeyGem {task_id} — {date}', { taskId: 't_1', at, text: 'x' })).toBe('HeyGem t_1 — 2026-01-05');
    expect(renderTemplate('{datetime} {nope} {TEXT}', { taskId: 't', at, text: 'x' })).toBe('2026-01-05T07:08:09Z {nope} {TEXT}');
    expect(renderTemplate('{text}', { taskId: 't', at, text: 'short  text\nhere' })).toBe('short text here');
  });

  it('{text} is the first 50 characters plus "..." (the replaced system\'s preview)', () => {
    const long = 'a'.repeat(49) + 'bcdef';
    expect(textPreview(long)).toBe('a'.repeat(49) + 'b...');
    expect(textPreview('a'.repeat(50))).toBe('a'.repeat(50));
  });

  it('object keys: prefix + template, no {text}, no "..", only safe characters', () => {
    expect(renderKey('videos/', '{date}/{task_id}.mp4', { taskId: 't_9', at })).toBe('videos/2026-01-05/t_9.mp4');
    expect(renderKey('', '/../{task_id} {text}?.mp4', { taskId: 't', at })).not.toMatch(/\.\.|\s|\?|^\//);
  });
});

describe('backoff', () => {
  it('doubles per attempt between half and all of the nominal delay, capped', () => {
    expect(backoffDelayMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffDelayMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffDelayMs(3, 1000, 60_000, () => 0)).toBe(2000);
    expect(backoffDelayMs(3, 1000, 60_000, () => 1)).toBe(4000);
    expect(backoffDelayMs(20, 1000, 60_000, () => 1)).toBe(60_000);
    expect(backoffDelayMs(1000, 1000, 60_000, () => 0.5)).toBe(45_000);
    for (let a = 1; a < 30; a++) {
      const d = backoffDelayMs(a, 250, 10_000);
      expect(d).toBeGreaterThanOrEqual(Math.min(10_000, 250 * 2 ** (a - 1)) / 2);
      expect(d).toBeLessThanOrEqual(Math.min(10_000, 250 * 2 ** (a - 1)));
    }
  });
});

describe('publish field', () => {
  const targets = [
    { id: 'vimeo', enabled: true, default: true },
    { id: 'archive', enabled: true, default: false },
    { id: 'old', enabled: false, default: true },
  ];
  it('absent → the enabled default targets; "none" → nothing; lists in any separator', () => {
    expect(parsePublishChoice(undefined, targets)).toEqual(['vimeo']);
    expect(parsePublishChoice('', targets)).toEqual(['vimeo']);
    expect(parsePublishChoice('none', targets)).toEqual([]);
    expect(parsePublishChoice(' NONE ', targets)).toEqual([]);
    expect(parsePublishChoice('archive, vimeo archive', targets)).toEqual(['archive', 'vimeo']);
    expect(parsePublishChoice(['archive'], targets)).toEqual(['archive']);
  });
  it('unknown, disabled or odd values are refused with a message naming the choices', () => {
    expect(() => parsePublishChoice('youtube', targets)).toThrow(PublishChoiceError);
    expect(() => parsePublishChoice('youtube', targets)).toThrow('unknown target "youtube" (configured: vimeo, archive)');
    expect(() => parsePublishChoice('old', targets)).toThrow('disabled');
    expect(() => parsePublishChoice({ a: 1 }, targets)).toThrow(PublishChoiceError);
    expect(() => parsePublishChoice('x'.repeat(500), targets)).toThrow('longer than');
  });
});
