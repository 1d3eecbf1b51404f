import { describe, expect, it } from 'vitest';
import type { Task } from '../domain/task.js';
import { cuesOf, MAX_LINE, MAX_LINES, speechSpans, toSrt, toVtt, wrap } from './captions.js';
import { latexToReadable, readableText } from './readable.js';

describe('readable text', () => {
  it('shows maths as maths, not LaTeX source', () => {
    expect(readableText('So $E = mc^2$ and $\\frac{a+b}{2} \\le \\sqrt{x_i}$ hold.')).toBe('So E = mc² and (a+b)/2 ≤ √(xᵢ) hold.');
    expect(latexToReadable('\\alpha_1 + \\beta^{n} \\cdot \\pi')).toBe('α₁ + βⁿ · π');
    expect(readableText('Costs $3.50 at https://example.com.')).toBe('Costs $3.50 at https://example.com.');
  });
});

describe('captions', () => {
  it('wraps into lines of at most 42 characters and cues of at most 2 lines', () => {
    const long = 'This sentence is long enough that it must be shown as more than one caption on the screen, because two lines of forty two characters cannot hold it.';
    for (const l of wrap(long)) expect(l.length).toBeLessThanOrEqual(MAX_LINE);
    const cues = cuesOf({ text: `${long} Short one.`, startSec: 2, endSec: 12 });
    expect(cues.length).toBeGreaterThan(2);
    for (const c of cues) expect(c.lines.length).toBeLessThanOrEqual(MAX_LINES);
    expect(cues[0].startSec).toBe(2);
    expect(cues.at(-1)!.endSec).toBe(12);
    for (let i = 1; i < cues.length; i++) expect(cues[i].startSec).toBeCloseTo(cues[i - 1].endSec, 9);
  });

  it('times each segment inside its own speech, its pause excluded', () => {
    const seg = (text: string, d: number) => ({ text, audioDurationSec: d }) as Task;
    const spans = speechSpans({ text: 'x', audioDurationSec: null } as Task, [seg('One.', 2), seg('Two.', 3)], 0.25);
    expect(spans).toEqual([
      { text: 'One.', startSec: 0, endSec: 1.75 },
      { text: 'Two.', startSec: 2, endSec: 5 },
    ]);
  });

  it('formats SRT and WebVTT', () => {
    const cues = [{ startSec: 0, endSec: 1.5, lines: ['Hello <world> & you'] }, { startSec: 3661.2, endSec: 3662, lines: ['a', 'b'] }];
    expect(toSrt(cues)).toBe('1\n00:00:00,000 --> 00:00:01,500\nHello <world> & you\n\n2\n01:01:01,200 --> 01:01:02,000\na\nb\n');
    expect(toVtt(cues)).toBe('WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello &lt;world> &amp; you\n\n01:01:01.200 --> 01:01:02.000\na\nb\n');
  });
});
