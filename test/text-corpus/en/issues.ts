/**
 * Cases of the kinds listed in issue #18 (failures seen on text written by others), phrased
 * the way people say them. Written in this project, so they count as "own" cases.
 */
import type { CorpusCase } from '../corpus.js';

type Row = [string, string | string[]];
const cat = (category: string, rows: Row[]): CorpusCase[] => rows.map(([input, expected]) => ({ input, expected, category }));

export const ISSUE_CASES: CorpusCase[] = [
  ...cat('issue-years-codes', [
    ['Columbus sailed in 1492.', 'Columbus sailed in fourteen ninety-two.'], ['Boarding at gate C22.', 'boarding at gate C twenty-two'], ['She flew an A380.', 'she flew an A three eighty'],
    ['Spray some WD-40 on it.', 'spray some W D forty on it'], ['My ZIP code is 94103.', 'my ZIP code is nine four one zero three'], ['Enter PIN 4821.', 'enter PIN four eight two one'],
    ['Flight 1234 is late.', 'flight twelve thirty-four is late'], ['Meet in room 101.', 'meet in room one oh one'], ['Draw a 3x3 grid.', 'draw a three by three grid'],
    ['It is a 13B model.', 'it is a thirteen billion model'], ['Since 1999 we have grown.', 'since nineteen ninety-nine we have grown'], ['Call ext. 4417.', 'call extension four four one seven'],
    ['About 1500 people came.', ['about one thousand five hundred people came', 'about fifteen hundred people came']], ['The 1969 moon landing.', 'the nineteen sixty-nine moon landing'],
  ]),
  ...cat('issue-units-recipes', [
    ['Add 3/4 cup of sugar.', ['add three quarters of a cup of sugar', 'add three quarters cup of sugar']], ['Use 1/2 tsp salt.', ['use half a teaspoon salt', 'use one half teaspoon salt']], ['Pour 1 1/2 cups water.', 'pour one and a half cups water'],
    ['Mix 1½ cups flour.', 'mix one and a half cups flour'], ['Drive at 60 km/h.', 'drive at sixty kilometers per hour'], ['Dose: 5 mg/kg daily.', 'dose: five milligrams per kilogram daily'],
    ['It costs $3/lb.', 'it costs three dollars per pound'], ['Add ½ cup milk.', ['add half a cup milk', 'add one half cup milk']], ['A 2 ¾ inch gap', 'a two and three quarters inch gap'],
  ]),
  ...cat('issue-symbols', [
    ['Meet @ 5 pm.', 'meet at five p m'], ['Salt & pepper', 'salt and pepper'], ['Ages ≥ 18 only.', 'ages at least eighteen only'], ['Keep it ≤ 5 items.', 'keep it at most five items'],
    ['Load < 50% is fine.', 'load less than fifty percent is fine'], ['Input → output', 'input to output'], ['It takes ~5 minutes.', 'it takes about five minutes'], ['10+ years of experience', 'ten plus years of experience'],
    ['Ranked #1 overall', 'ranked number one overall'],
  ]),
  ...cat('issue-web', [
    ['Visit example.com for more.', 'visit example dot com for more'], ['See docs.python.org/3/library.', 'see docs dot python dot org slash three slash library'],
    ['Open localhost:8080 in a browser.', 'open localhost colon eight zero eight zero in a browser'], ['Read report.pdf first.', 'read report dot p d f first'],
    ['Write to jane.doe+news@mail.co.uk today.', 'write to jane dot doe plus news at mail dot co dot u k today'], ['Our site is shop.de.', 'our site is shop dot d e'],
  ]),
  ...cat('issue-abbreviations', [
    ['Dr. Lee has a Ph.D. in physics.', 'doctor lee has a p h d in physics'], ['See Fig. 3 and Sec. 2.', 'see figure three and section two'], ['As in Ref. 12, it holds.', 'as in reference twelve, it holds'],
    ['Fruit, e.g. apples, is sweet.', 'fruit, for example apples, is sweet'], ['The U.S. economy grew.', 'the U S economy grew'], ['He moved to the U.K. Then he left.', 'he moved to the U K. then he left'],
    ['Use a tool, i.e. a hammer.', 'use a tool, that is a hammer'],
  ]),
  ...cat('issue-latex', [
    ['$\\frac{x-1}{3}$', 'x minus one over three'], ['$a \\equiv b \\pmod{n}$', 'a is congruent to b modulo n'], ['$7 \\bmod 3 = 1$', 'seven mod three equals one'],
    ['$\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}$', 'the two by two matrix with rows one, two; and three, four'],
  ]),
];
