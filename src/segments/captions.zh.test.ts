import { describe, expect, it } from 'vitest';
import type { Task } from '../domain/task.js';
import { captionFontSize, subtitlesFilter } from './burn-args.js';
import { captionCues, cuesOf, DEFAULT_LAYOUT } from './captions.js';
import { cellWidth, clausesOf, layoutCjk, wrapCjk } from './cjk-lines.js';

const LINE = '这款手机售价2999元，比去年便宜了20%。现在下单，3天内发货！';

describe('Chinese caption lines', () => {
  it('count a Han character as a full cell and a Latin one as half', () => {
    expect(cellWidth('你好')).toBe(2);
    expect(cellWidth('iPhone')).toBe(3);
    expect(cellWidth('，。')).toBe(2);
  });

  it('break between Chinese characters, never inside a word or number, never before closing punctuation', () => {
    const text = '我们发布了全新的iPhone 15 Pro Max，售价是9999元，而且现在下单就可以享受免费送货上门的服务。';
    const lines = wrapCjk(text, 16);
    for (const l of lines) expect(cellWidth(l)).toBeLessThanOrEqual(16);
    // only a space where a line breaks is dropped
    expect(lines.join(' ').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    for (const w of ['iPhone', 'Pro', 'Max']) expect(lines.some((l) => l.includes(w))).toBe(true);
    for (const l of lines) expect(l).not.toMatch(/^[，。！？、；：”）]/);
    const joined = lines.join('|');
    expect(joined).toContain('iPhone');
    expect(joined).toContain('9999');
  });

  it('moves an opening quote down with the word it opens', () => {
    const lines = wrapCjk('一二三四五六七八九十一二三四五“好的”', 16);
    for (const l of lines) expect(l).not.toMatch(/“$/);
  });

  it('break a cue at its clause marks when whole clauses fit the lines', () => {
    expect(layoutCjk('这款手机售价2999元，比去年便宜了20%。', 16, 2)).toEqual(['这款手机售价2999元，', '比去年便宜了20%。']);
    expect(layoutCjk('现在下单，3天内发货！', 16, 2)).toEqual(['现在下单，3天内发货！']);
    // a clause wider than a line: broken by the width rules instead
    expect(layoutCjk('我们今天要讲的内容包括产品的设计生产销售和售后服务。', 16, 2)).toEqual(wrapCjk('我们今天要讲的内容包括产品的设计生产销售和售后服务。', 16));
  });

  it('cut clauses after ，、；：', () => {
    expect(clausesOf('一，二、三；四：五。')).toEqual(['一，', '二、', '三；', '四：', '五。']);
  });
});

describe('Chinese caption cues', () => {
  it('the e-commerce line: one cue per sentence, ≤ 2 lines of ≤ 16 cells, timed over the speech', () => {
    const cues = cuesOf({ text: LINE, startSec: 0, endSec: 8 }, DEFAULT_LAYOUT, 'zh');
    expect(cues.map((c) => c.lines)).toEqual([['这款手机售价2999元，', '比去年便宜了20%。'], ['现在下单，3天内发货！']]);
    for (const c of cues) {
      expect(c.lines.length).toBeLessThanOrEqual(2);
      for (const l of c.lines) expect(cellWidth(l)).toBeLessThanOrEqual(16);
    }
    expect(cues[0].startSec).toBe(0);
    expect(cues[1].endSec).toBe(8);
    expect(cues[0].endSec).toBeCloseTo(cues[1].startSec, 9);
    // the first sentence says more (two numbers read out in full) than the second
    expect(cues[0].endSec - cues[0].startSec).toBeGreaterThan(cues[1].endSec - cues[1].startSec);
  });

  it('a sentence longer than a cue: cues of whole clauses', () => {
    const long = '我们今天要讲的内容包括产品的设计，生产过程中的质量控制，销售渠道的建设，以及售后服务体系的完善，最后还会回答大家提出的问题。';
    const cues = cuesOf({ text: long, startSec: 0, endSec: 20 }, DEFAULT_LAYOUT, 'zh');
    expect(cues.length).toBeGreaterThan(1);
    expect(cues.map((c) => c.lines.join('')).join('')).toBe(long);
    for (const c of cues) {
      expect(c.lines.length).toBeLessThanOrEqual(2);
      for (const l of c.lines) expect(cellWidth(l)).toBeLessThanOrEqual(16);
      expect(c.lines.join('')).toMatch(/[，。]$/); // each cue ends at a clause mark
    }
  });

  it('follows a configured line length', () => {
    const cues = cuesOf({ text: LINE, startSec: 0, endSec: 8 }, { ...DEFAULT_LAYOUT, maxLineCharsCjk: 8, maxLines: 1 }, 'zh');
    for (const c of cues) {
      expect(c.lines.length).toBe(1);
      expect(cellWidth(c.lines[0])).toBeLessThanOrEqual(8);
    }
    expect(cues.map((c) => c.lines.join('')).join('')).toBe(LINE);
  });

  it('a task in Chinese: cues from its language and speech length', () => {
    const task = { text: LINE, audioDurationSec: 8.4, language: 'zh' } as Task;
    expect(captionCues(task, [], 0)?.length).toBe(2);
  });
});

describe('burned captions', () => {
  it('name the CJK font and size the text so the longest line fits the frame', () => {
    const f = subtitlesFilter("/d/w/it's:1.srt", { font: 'Noto Sans CJK SC', maxLineEm: 23.1 }, { width: 1280, height: 720 });
    expect(f).toBe("subtitles=filename='/d/w/it\\'s\\:1.srt':charenc=UTF-8:force_style='FontName=Noto Sans CJK SC,FontSize=18,Outline=1'");
    // portrait: 16 full-width cells at the chosen size fit 92 % of the width
    const size = captionFontSize(720, 1280, 16);
    expect(size * 16).toBeLessThanOrEqual(0.92 * 288 * (720 / 1280));
    expect(size).toBeGreaterThanOrEqual(6);
  });
});
