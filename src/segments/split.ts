/**
 * Where a long script may be cut (docs/segments.md). Pure. The *original* text is cut — at
 * sentence ends and paragraph breaks, and inside a sentence too long for one segment at its
 * Chinese clause marks (，、) — and each piece is normalized on its own later. Chinese
 * sentences end at 。！？； with no space after them.
 * A cut never falls inside a span the normalizer reads as one thing (formula, number, URL,
 * date, abbreviation …), nor after a known abbreviation or an initial ("Dr.", "e.g.", "J.").
 */
import { ABBREVIATIONS, LATIN } from '../text/abbreviations.js';
import { normalizeForSpeech } from '../text/index.js';
import type { SpeechLanguage } from '../text/language.js';
import { spokenUnits } from './spoken-units.js';

export interface Sentence {
  /** Offsets into the original text (trimmed of surrounding white space). */
  start: number;
  end: number;
  text: string;
  /** Ends a paragraph (a blank line follows). */
  paragraphEnd: boolean;
}

const END_PUNCT = /[.!?…。！？；]/;
/** Chinese sentence ends: a sentence may follow them with no space. */
const FULL_WIDTH_END = /[。！？；]/;
const CLOSERS = /["'”’)\]»」』）】》]/;
const HAN_START = /^[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF“‘「『（【《]/;

function spanCovers(spans: ReadonlyArray<{ start: number; end: number }>, pos: number): boolean {
  // spans are few per sentence and sorted by start; a linear scan is cheap next to normalizing
  for (const s of spans) {
    if (s.start >= pos) return false;
    if (s.end > pos) return true;
  }
  return false;
}

/** The word (letters and inner dots) right before `dot`, e.g. "Dr" or "e.g". */
function wordBefore(text: string, dot: number): string {
  let i = dot;
  while (i > 0 && /[\p{L}.]/u.test(text[i - 1])) i--;
  return text.slice(i, dot);
}

function isAbbreviationDot(text: string, dot: number): boolean {
  const w = wordBefore(text, dot);
  if (!w) return false;
  if (ABBREVIATIONS[w] !== undefined || LATIN[`${w}.`] !== undefined) return true;
  // an initial ("J. Smith") or a dotted acronym ("U.S.")
  return /^\p{Lu}$/u.test(w) || /^(?:\p{L}\.)+\p{L}$/u.test(w);
}

/** Split into sentences; the pieces joined back (with the white space between) are the input. */
export function sentences(text: string, language?: SpeechLanguage): Sentence[] {
  const spans = normalizeForSpeech(text, { language: language ?? 'auto' }).changes.map((c) => ({ start: c.start, end: c.end })).sort((a, b) => a.start - b.start);
  const out: Sentence[] = [];
  let start = 0;
  const push = (end: number, paragraphEnd: boolean) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const t = raw.trim();
    if (t) out.push({ start: start + lead, end: start + lead + t.length, text: t, paragraphEnd });
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      let j = i;
      while (j < text.length && /\s/.test(text[j])) j++;
      const blank = (text.slice(i, j).match(/\n/g)?.length ?? 0) >= 2;
      if ((blank || j === text.length || /[.!?…:;。！？；：]\s*$/.test(text.slice(start, i))) && !spanCovers(spans, i)) push(i, blank);
      i = j - 1;
      continue;
    }
    if (!END_PUNCT.test(c)) continue;
    let end = i + 1;
    while (end < text.length && (END_PUNCT.test(text[end]) || CLOSERS.test(text[end]))) end++;
    // "3.14", "example.com", "e.g.x" go on; a Chinese end, or "!"/"?" before a Chinese sentence, does not
    const chineseEnd = FULL_WIDTH_END.test(c) || (c !== '.' && HAN_START.test(text[end] ?? ''));
    if (end < text.length && !/\s/.test(text[end]) && !chineseEnd) continue;
    if (spanCovers(spans, i) || spanCovers(spans, end - 1)) continue;
    if (c === '.' && isAbbreviationDot(text, i)) continue;
    // a lower-case continuation is the same sentence ("approx. five", "… and so on")
    const next = text.slice(end).trimStart()[0];
    if (next && /\p{Ll}/u.test(next)) continue;
    push(end, /^[ \t]*\n\s*\n/.test(text.slice(end, end + 200)));
    i = end - 1;
  }
  push(text.length, true);
  return out;
}

export interface SegmentPlan {
  /** Original text of each segment (sentences joined as written). */
  texts: string[];
  /** Estimated speech seconds of each segment. */
  estimatedSec: number[];
}

export interface SplitOptions {
  targetSeconds: number;
  /** The task's language (where the normalizer may not cut); default: detected. */
  language?: SpeechLanguage;
  /** Spoken characters per second (prior or learned). */
  charsPerSecond: number;
  /** Upper bound on segments (a very long script gets longer segments instead). */
  maxSegments: number;
  /**
   * GPUs that can take segments. With more than one, segments get shorter toward the end of
   * the script (see `shrinkingBounds`), so the GPUs finish together even when render times vary.
   */
  gpus?: number;
  /** Shortest segment worth its render's fixed cost (learned: render-cost.ts); at most the target. */
  minSeconds?: number;
}

/** Seconds of speech a text is expected to take (spoken units: a Han character counts three, spoken-units.ts). */
export function estimateSeconds(text: string, charsPerSecond: number, language?: SpeechLanguage): number {
  return spokenUnits(normalizeForSpeech(text, { language: language ?? 'auto' }).text) / Math.max(1, charsPerSecond);
}

/** Clause marks a Chinese sentence may be cut after, closing quotes and brackets kept with the clause. */
const CLAUSE = /[，、][”’」』）】》]*/gu;

/**
 * A sentence longer than `maxSeconds` cut after its Chinese clause marks (，、) into pieces of
 * whole clauses, each as close to `maxSeconds` as fits; never inside a span the normalizer reads
 * as one. Other sentences (and sentences without such marks) stay whole.
 */
export function splitLong(text: string, sents: Sentence[], secs: number[], maxSeconds: number, charsPerSecond: number, language?: SpeechLanguage): { sents: Sentence[]; secs: number[] } {
  if (!sents.some((_, i) => secs[i] > maxSeconds)) return { sents, secs };
  const spans = normalizeForSpeech(text, { language: language ?? 'auto' }).changes.map((c) => ({ start: c.start, end: c.end })).sort((a, b) => a.start - b.start);
  const out: Sentence[] = [];
  const outSecs: number[] = [];
  for (const [i, s] of sents.entries()) {
    if (secs[i] <= maxSeconds) {
      out.push(s);
      outSecs.push(secs[i]);
      continue;
    }
    const cuts = [...s.text.matchAll(CLAUSE)].map((m) => s.start + m.index + m[0].length).filter((at) => at < s.end && !spanCovers(spans, at - 1));
    let from = s.start;
    let acc = 0;
    const bounds = [...cuts, s.end];
    for (const [k, at] of bounds.entries()) {
      const next = k + 1 < bounds.length ? bounds[k + 1] : null;
      acc = estimateSeconds(text.slice(from, at), charsPerSecond, language);
      // cut here when the next clause would overfill the piece (or this is the sentence end)
      const withNext = next === null ? Infinity : estimateSeconds(text.slice(from, next), charsPerSecond, language);
      if (next !== null && withNext <= maxSeconds) continue;
      const piece = text.slice(from, at);
      const lead = piece.length - piece.trimStart().length;
      out.push({ start: from + lead, end: from + lead + piece.trim().length, text: piece.trim(), paragraphEnd: next === null && s.paragraphEnd });
      outSecs.push(acc);
      from = at;
    }
  }
  return { sents: out, secs: outSecs };
}

/**
 * Cut a script into segments of whole sentences. One segment when the whole script fits the
 * target. On one GPU: n ≈ total / target near-equal segments (`equalBounds`). On several: the
 * shrinking plan of `shrinkingBounds`.
 */
export function planSegments(text: string, o: SplitOptions): SegmentPlan {
  const cut = sentences(text, o.language);
  const { sents, secs } = splitLong(text, cut, cut.map((s) => estimateSeconds(s.text, o.charsPerSecond, o.language)), o.targetSeconds, o.charsPerSecond, o.language);
  const total = secs.reduce((a, b) => a + b, 0);
  if (sents.length < 2 || total <= o.targetSeconds + 1e-9 || o.maxSegments < 2) return { texts: [text], estimatedSec: [total] };
  const g = Math.max(1, o.gpus ?? 1);
  let bounds = g > 1 ? shrinkingBounds(sents, secs, total, o.targetSeconds, g, Math.max(total / o.maxSegments, Math.min(o.minSeconds ?? 0, o.targetSeconds))) : null;
  if (!bounds || bounds.length - 1 > o.maxSegments) bounds = equalBounds(sents, secs, total, Math.min(o.maxSegments, sents.length, Math.ceil(total / o.targetSeconds - 1e-9)));
  const texts: string[] = [];
  const estimatedSec: number[] = [];
  for (let j = 0; j + 1 < bounds.length; j++) {
    const first = sents[bounds[j]];
    const last = sents[bounds[j + 1] - 1];
    texts.push(text.slice(first.start, last.end));
    estimatedSec.push(secs.slice(bounds[j], bounds[j + 1]).reduce((a, b) => a + b, 0));
  }
  return { texts, estimatedSec };
}

/**
 * Segments of about `target` seconds while much speech remains, then shorter ones: each aims at
 * min(target, remaining / (2·GPUs)), down to one sentence or `floor` seconds. Segments are
 * claimed in script order, so the last ones rendered are the short ones; a GPU that finishes early picks up
 * a short piece instead of idling while another renders a long one — render times vary on
 * their own, and the whole video waits for the last segment (guided self-scheduling;
 * docs/segments.md). Returns the index of each segment's first sentence plus the end.
 */
function shrinkingBounds(sents: Sentence[], secs: number[], total: number, target: number, gpus: number, floor: number): number[] {
  const bounds = [0];
  let remaining = total;
  let i = 0;
  while (i < secs.length) {
    const goal = Math.max(floor, Math.min(target, remaining / (2 * gpus)));
    let cur = secs[i++];
    // take the next sentence while most of it fits; a paragraph end close to the goal wins
    while (i < secs.length && cur + secs[i] / 2 <= goal && !(sents[i - 1].paragraphEnd && cur >= 0.75 * goal)) cur += secs[i++];
    remaining -= cur;
    bounds.push(i);
  }
  return bounds;
}

/**
 * n near-equal segments: the k-th cut is placed at the sentence end closest to k·total/n (a
 * paragraph end wins a near tie). Returns the index of each segment's first sentence plus the end.
 */
function equalBounds(sents: Sentence[], secs: number[], total: number, n: number): number[] {
  const cuts: number[] = []; // index of the first sentence of each later segment
  let acc = 0;
  let k = 1;
  for (let i = 0; i < sents.length - 1 && k < n; i++) {
    const before = acc;
    acc += secs[i];
    const goal = (k * total) / n;
    if (acc < goal) continue;
    // cut after i, or before i when that is closer to the goal (and leaves i a segment of its own)
    const bonusAfter = sents[i].paragraphEnd ? secs[i] * 0.25 : 0;
    const cutAfter = acc - goal - bonusAfter <= goal - before || cuts.at(-1) === i || (i === 0 && cuts.length === 0);
    const at = cutAfter ? i + 1 : i;
    if (at > (cuts.at(-1) ?? 0)) {
      cuts.push(at);
      k++;
    }
  }
  return [0, ...cuts, sents.length];
}
