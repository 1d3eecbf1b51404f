/**
 * Cue words: what the words around a number say about how to read it. "in 1492" is a year,
 * "ZIP 94103" is read digit by digit, "flight 1234" and "room 101" the way names are said.
 */
import type { Context } from './spans.js';

/** Before a number read digit by digit. */
export const DIGIT_CUES = new Set([
  'zip', 'zipcode', 'postcode', 'postal', 'pin', 'code', 'otp', 'passcode', 'password', 'account', 'acct', 'card', 'ssn', 'serial',
  'id', 'ext', 'extension', 'dial', 'sms', 'text', 'ticket', 'confirmation', 'booking', 'reference', 'ref', 'tracking', 'order', 'invoice', 'policy', 'isbn', 'imei', 'vin', 'pnr',
]);
/** Before a number said the way names are said: "flight twelve thirty-four", "room one oh one". */
export const NAME_CUES = new Set([
  'flight', 'gate', 'room', 'port', 'box', 'rm', 'bus', 'route', 'highway', 'hwy', 'interstate', 'platform', 'track', 'terminal', 'boeing', 'airbus', 'model',
  'apartment', 'apt', 'suite', 'ste', 'seat', 'channel', 'line', 'train', 'level', 'floor', 'pier', 'berth', 'bay', 'unit', 'lane', 'locker', 'area',
]);
/** Names of rulers: a Roman numeral after one is regnal ("Henry VIII" → "the eighth"). */
export const REGNAL = new Set(['henry', 'louis', 'charles', 'george', 'edward', 'william', 'richard', 'james', 'john', 'pius', 'leo', 'gregory', 'elizabeth', 'mary', 'philip', 'frederick', 'alexander', 'peter', 'nicholas', 'ferdinand', 'david', 'robert', 'benedict', 'clement', 'innocent', 'urban', 'boniface', 'paul', 'francis', 'napoleon', 'catherine', 'anne', 'victor', 'ramesses', 'amenhotep', 'otto', 'wilhelm', 'carlos', 'juan', 'felipe', 'alfonso', 'isabel', 'isabella', 'ivan', 'constantine', 'justinian', 'ptolemy', 'cleopatra', 'rama', 'harald', 'olaf', 'gustav', 'christian', 'haakon', 'umberto', 'vittorio', 'pedro', 'manuel', 'sancho', 'malcolm', 'alexios', 'leopold', 'joseph', 'maximilian', 'sigismund', 'casimir', 'stanislaus', 'sobhuza', 'mohammed', 'hassan', 'abdullah', 'hussein', 'farouk', 'fuad']);
/** Before a 4-digit number that is a year. */
export const YEAR_CUES = new Set([
  'in', 'since', 'by', 'from', 'until', 'till', 'to', 'through', 'circa', 'ca', 'c', 'year', 'born', 'died', 'during', 'before', 'after', 'early',
  'late', 'mid', 'summer', 'winter', 'spring', 'fall', 'autumn', 'around', 'of', 'and', 'between', 'fy', 'class', 'est', 'established', 'founded',
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'jan', 'feb', 'mar',
  'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'copyright', 'season', 'vintage', 'election', 'olympics', 'then', 'back', 'ago', 'dated', 'year-end',
]);
/** Before a number that counts something: "about 1500", "over 2000". */
export const QUANTITY_CUES = new Set(['about', 'over', 'under', 'nearly', 'almost', 'roughly', 'some', 'approximately', 'exactly', 'only', 'just', 'all', 'another', 'at', 'least', 'most', 'costs', 'cost', 'pay', 'paid', 'scored', 'is', 'are', 'were', 'was', 'equals', 'plus', 'minus', 'times', 'number', 'no']);
/** Words that may follow a year without making it a count ("in 1999 the …"). */
export const AFTER_YEAR_OK = new Set(['', 'the', 'a', 'an', 'and', 'or', 'to', 'in', 'on', 'at', 'when', 'while', 'as', 'he', 'she', 'it', 'they', 'we', 'i', 'you', 'was', 'were', 'is', 'that', 'this', 'there', 'but', 'so', 'after', 'before', 'until', 'with', 'by', 'for', 'ad', 'bc', 'bce', 'ce', 'election', 'census', 'season', 'edition', 'model', 'olympics', 'world', 'summer', 'winter', 'spring', 'fall', 'budget', 'report', 'survey', 'version']);

/** ASCII first (the common case), Unicode letters otherwise. */
function isLetter(c: string): boolean {
  const k = c.charCodeAt(0);
  if (k < 128) return (k >= 65 && k <= 90) || (k >= 97 && k <= 122);
  return /\p{L}/u.test(c);
}
function isDigitOrNewline(c: string): boolean {
  const k = c.charCodeAt(0);
  if (k < 128) return (k >= 48 && k <= 57) || k === 10;
  return /\p{N}/u.test(c);
}

/** Up to 3 lower-cased words before `start`, nearest first (up to 3 characters of punctuation between them). */
export function wordsBefore(text: string, start: number): string[] {
  const out: string[] = [];
  let i = start;
  for (let k = 0; k < 3 && i > 0; k++) {
    let gap = 0;
    while (i > 0 && gap < 3 && !isLetter(text[i - 1]) && !isDigitOrNewline(text[i - 1])) {
      i--;
      gap++;
    }
    const end = i;
    while (i > 0 && end - i < 31 && (isLetter(text[i - 1]) || text[i - 1] === "'" || text[i - 1] === '.')) i--;
    while (i < end && !isLetter(text[i])) i++; // a word starts with a letter
    if (i === end) break;
    out.push(text.slice(i, end).toLowerCase().replace(/\.$/, ''));
  }
  return out;
}

export function wordAfter(text: string, end: number): string {
  const m = /^[ \t]{0,3}([\p{L}][\p{L}']{0,30})/u.exec(text.slice(end, end + 40));
  return m ? m[1].toLowerCase() : '';
}

export const hasCue = (ctx: Context, set: Set<string>, reach = 2) => ctx.before.slice(0, reach).some((w) => set.has(w));

/** A period after a span also ends the sentence: at the end, before a line break, or before a capitalized word. */
export function sentenceEnds(ctx: Context): boolean {
  return ctx.next === '' || /^\s*(\n|$)/.test(ctx.next) || /^\s+[A-Z]/.test(ctx.next);
}

/** Words that open a sentence: after an abbreviation's period, one of them means the sentence ended there. */
const SENTENCE_STARTERS = new Set([
  'the', 'a', 'an', 'this', 'that', 'these', 'those', 'then', 'he', 'she', 'it', 'they', 'we', 'i', 'you', 'his', 'her', 'its', 'our', 'their', 'my', 'your',
  'but', 'and', 'or', 'so', 'yet', 'in', 'on', 'at', 'for', 'from', 'with', 'after', 'before', 'when', 'while', 'if', 'as', 'there', 'here', 'now', 'today',
  'later', 'meanwhile', 'however', 'also', 'some', 'many', 'most', 'all', 'no', 'what', 'why', 'how', 'who', 'where', 'since', 'during', 'by', 'to', 'its',
  'one', 'each', 'every', 'both', 'such', 'yes', 'still', 'only', 'instead', 'thus', 'hence', 'therefore', 'next', 'finally', 'first', 'soon', 'once',
]);

/** The same after an abbreviation ("U.S.", "Ph.D.", "Co."): a capitalized word after it ends the sentence only if sentences start with it ("The U.S. Army" goes on). */
export function sentenceEndsAfterAbbreviation(ctx: Context): boolean {
  return ctx.next === '' || /^\s*(\n|$)/.test(ctx.next) || (/^\s+[A-Z]/.test(ctx.next) && SENTENCE_STARTERS.has(ctx.after));
}
