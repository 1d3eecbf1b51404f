/**
 * One table per class (classify → resolve → verbalize): each row is read as expected and the
 * span is reported with that class in `changes`, so a class can change without touching others.
 */
import { describe, expect, it } from 'vitest';
import { normalizeForSpeech } from './index.js';
import type { SpanClass } from './spans.js';

/** [input, the span in it, what it is read as, the whole text as read]. */
type Row = [string, string, string];
const TABLE: Record<SpanClass, Row[]> = {
  markup: [['**bold** text', '**', 'bold text'], ['[docs](https://x.io) here', '[docs](https://x.io)', 'docs here'], ['See ![a cat](cat.png) here', '![a cat](cat.png)', 'See a cat here']],
  math: [['$\\frac{x-1}{3}$', '$\\frac{x-1}{3}$', 'x minus one over three'], ['a² + b²', '²', 'a squared plus b squared']],
  url: [['Visit example.com now', 'example.com', 'Visit example dot com now'], ['Open localhost:8080 now', 'localhost:8080', 'Open localhost colon eight zero eight zero now']],
  email: [['Mail jane.doe+x@mail.co.uk', 'jane.doe+x@mail.co.uk', 'Mail jane dot doe plus x at mail dot co dot u k']],
  file: [['Open report.pdf', 'report.pdf', 'Open report dot p d f'], ['Run ./build.sh now', './build.sh', 'Run dot slash build dot s h now']],
  date: [['On 2024-03-15 we met', '2024-03-15', 'On March fifteenth, twenty twenty-four we met'], ['Due on 3/20 at noon', '3/20', 'Due on March twentieth at noon']],
  time: [['At 3:45 pm', '3:45 pm', 'At three forty-five p m']],
  phone: [['Call 555-123-4567', '555-123-4567', 'Call five five five, one two three, four five six seven'], ['Call 311 now', '311', 'Call three one one now'], ['Call (020) 7946 0958', '(020) 7946 0958', 'Call zero two zero, seven nine four six, zero nine five eight']],
  digits: [['My PIN is 4821', '4821', 'My PIN is four eight two one'], ['IP 10.0.0.1 up', '10.0.0.1', 'IP one zero dot zero dot zero dot one up']],
  code: [['Gate C22 now', 'C22', 'Gate C twenty-two now'], ['Flight 1234 left', '1234', 'Flight twelve thirty-four left'], ['An A380 flew', 'A380', 'An A three eighty flew'], ['RTX 4090 cards', '4090', 'RTX forty ninety cards']],
  money: [['It costs $3.50', '$3.50', 'It costs three dollars and fifty cents'], ['Only $3/lb', '$3/lb', 'Only three dollars per pound']],
  percent: [['Up 15%', '15%', 'Up fifteen percent']],
  measure: [['Add 3/4 cup sugar', '3/4 cup', 'Add three quarters of a cup sugar'], ['A 12-oz can', '12-oz', 'A twelve ounce can'], ['She is 5\'11"', '5\'11"', 'She is five feet eleven inches'], ['Dose 5 mg/kg', '5 mg/kg', 'Dose five milligrams per kilogram']],
  fraction: [['Mix 1½ parts', '1½', 'Mix one and a half parts']],
  ordinal: [['The 21st time', '21st', 'The twenty-first time']],
  decade: [['In the 1990s', '1990s', 'In the nineteen nineties']],
  year: [['Born in 1961', '1961', 'Born in nineteen sixty-one']],
  cardinal: [['About 1500 people', '1500', 'About one thousand five hundred people'], ['A 13B model', '13B', 'A thirteen billion model'], ['A 10x speedup', '10x', 'A ten times speedup']],
  range: [['Ages 3-5 only', '3-5', 'Ages three to five only'], ['A 16:9 screen', '16:9', 'A sixteen to nine screen']],
  version: [['Use v1.0.2', 'v1.0.2', 'Use version one point zero point two']],
  dimension: [['A 3x3 grid', '3x3', 'A three by three grid']],
  symbol: [['Ages ≥ 18', '≥', 'Ages at least eighteen'], ['Salt & pepper', '&', 'Salt and pepper'], ['Take 2 tablets/day', '/', 'Take two tablets per day'], ['As n → ∞', '→', 'As n approaches infinity']],
  abbreviation: [['Dr. Lee has a Ph.D.', 'Ph.D.', 'Doctor Lee has a P H D.'], ['See Fig. 2', 'Fig.', 'See Figure two'], ['The U.S. Army', 'U.S.', 'The U S Army'], ['Coffee w/o milk', 'w/o', 'Coffee without milk']],
};

describe('each class, read and reported', () => {
  for (const [cls, rows] of Object.entries(TABLE) as [SpanClass, Row[]][]) {
    it(cls, () => {
      for (const [input, span, spoken] of rows) {
        const r = normalizeForSpeech(input);
        expect(r.text, input).toBe(spoken);
        const change = r.changes.find((c) => c.original === span);
        expect(change?.class, `${input}: ${span}`).toBe(cls);
      }
    });
  }
});
