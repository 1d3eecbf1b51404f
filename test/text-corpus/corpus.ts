/**
 * The normalization corpus (docs/text-normalization.md): input → what a person reading it aloud
 * would say, with several acceptable phrasings where speech allows.
 * - `own`: cases written in this project (en/own.ts, en/issues.ts);
 * - `nemo`: derived from NVIDIA NeMo text processing's English test data (en/nemo.data.ts),
 *   of which one case in five is held out: never looked at while tuning the rules.
 * Every case must read as expected unless en/known-failures.ts lists it with a reason.
 */
import { GUIDE_CASES } from './en/guides.js';
import { ISSUE_CASES } from './en/issues.js';
import { NEMO_ROWS } from './en/nemo.data.js';
import { OWN_CASES } from './en/own.js';

export interface CorpusCase {
  input: string;
  expected: string | string[];
  category: string;
  /** Set on the cases kept aside as the held-out check. */
  heldOut?: boolean;
  /** Where the case comes from, for parts built from several sources (en/guides.ts). */
  source?: string;
}

const NEMO_CASES: CorpusCase[] = NEMO_ROWS.map(([category, input, expected, heldOut]) => ({ category, input, expected, heldOut: heldOut === 1 }));

export const CORPUS: CorpusCase[] = [...OWN_CASES, ...ISSUE_CASES, ...GUIDE_CASES, ...NEMO_CASES];

const NUMBER_WORD = String.raw`(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a)`;

/**
 * Compare as speech: case, commas, brackets, quotes, final punctuation, hyphens in compound
 * numbers, "and" inside a number ("one hundred and five") and spelled capitals ("AM" / "a m")
 * do not change what is heard.
 */
export function canon(s: string, spellCapitals = true): string {
  return (spellCapitals ? s.replace(/\b([A-Z]{2,5})\b/g, (w) => w.split('').join(' ')) : s)
    .toLowerCase()
    .replace(/[‘’]/g, "'")
    .replace(/(^|[^\p{L}])'|'(?!\p{L})/gu, '$1 ')
    .replace(/--+|[—–]|(?<=\s)-(?=\s)/g, ' ')
    .replace(/o'clock/g, 'oclock')
    .replace(/(\p{L})-(?=\p{L})/gu, '$1 ')
    .replace(/[,()"“”`[\]]/g, ' ')
    .replace(/[.!?;:]+(\s|$)/g, '$1')
    .replace(new RegExp(String.raw`\b(hundred|thousand|million|billion|trillion) and (?=${NUMBER_WORD}\b)`, 'g'), '$1 ')
    .replace(new RegExp(String.raw`\b(dollars?|pounds?|euros?) and (?=${NUMBER_WORD}\b)`, 'g'), '$1 ')
    .replace(/\bo\b(?= (?:one|two|three|four|five|six|seven|eight|nine)\b)/g, 'oh')
    .replace(/\bmissus\b/g, 'misses') // one word said two ways of spelling it
    .replace(/\s+/g, ' ')
    .trim();
}

export function speechMatches(got: string, expected: string | string[]): boolean {
  const g = canon(got);
  // a word in capitals may be spelled or said as a word by the voice ("PIN" = "P I N" = "pin")
  const asWords = canon(got, false);
  return (Array.isArray(expected) ? expected : [expected]).some((e) => canon(e) === g || canon(e) === asWords);
}
