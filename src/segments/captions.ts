/**
 * Captions (SRT and WebVTT) for every task (docs/segments.md). Each segment's text is timed
 * inside that segment's real speech: segment k starts at the sum of the earlier segments'
 * lengths and ends where its speech ends (its pause excluded). Inside a segment, sentences —
 * and cues of a long sentence — get time in proportion to their spoken length. Cues hold at
 * most 2 lines of at most 42 characters; the text is shown as written (readable.ts).
 *
 * Chinese (a sentence holding Han characters): one cue per sentence, or — when it does not fit
 * — per clause (cut after ，、；：), clauses packed while they fit; lines of at most 16 full-width
 * characters, broken at clause marks where that fits, else by Chinese rules (cjk-lines.ts). Spoken length counts a Han character as
 * three units (spoken-units.ts), so a number read out in Chinese gets the time it takes.
 */
import type { Task } from '../domain/task.js';
import type { CaptionStyle } from '../domain/caption-style.js';
import { normalizeForSpeech } from '../text/index.js';
import type { SpeechLanguage } from '../text/language.js';
import { clausesOf, HAN, layoutCjk } from './cjk-lines.js';
import { readableText } from './readable.js';
import { sentences } from './split.js';
import { spokenUnits } from './spoken-units.js';

export const MAX_LINE = 42;
export const MAX_LINES = 2;
export const MAX_LINE_CJK = 16;

/** Cue size (config `captions`). */
export interface CaptionLayout {
  maxLines: number;
  /** Latin-script lines, in characters. */
  maxLineChars: number;
  /** Chinese lines, in full-width cells (a half-width character is half a cell). */
  maxLineCharsCjk: number;
}
export const DEFAULT_LAYOUT: CaptionLayout = { maxLines: MAX_LINES, maxLineChars: MAX_LINE, maxLineCharsCjk: MAX_LINE_CJK };

export interface Cue {
  startSec: number;
  endSec: number;
  lines: string[];
}

/** A timed piece of speech: the original text and where its speech lies in the video. */
export interface SpeechSpan {
  text: string;
  startSec: number;
  endSec: number;
}

/** Words into lines of ≤ `max` characters (a longer single word gets a line of its own). */
export function wrap(text: string, max = MAX_LINE): string[] {
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + w.length > max) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

const spokenLength = (text: string, language?: SpeechLanguage) => Math.max(1, spokenUnits(normalizeForSpeech(text, { language: language ?? 'auto' }).text));

interface Piece {
  lines: string[];
  weight: number;
}

/** A Latin-script sentence: wrapped by words, cut every `maxLines` lines, time shared by characters. */
function latinPieces(text: string, weight: number, o: CaptionLayout): Piece[] {
  const lines = wrap(readableText(text), o.maxLineChars);
  const chars = lines.reduce((a, l) => a + l.length, 0) || 1;
  const out: Piece[] = [];
  for (let c = 0; c * o.maxLines < lines.length; c++) {
    const part = lines.slice(c * o.maxLines, (c + 1) * o.maxLines);
    out.push({ lines: part, weight: (weight * part.reduce((a, l) => a + l.length, 0)) / chars });
  }
  return out;
}

/** A Chinese sentence: one cue if it fits, else whole clauses packed into cues; each timed by its own speech. */
function cjkPieces(text: string, o: CaptionLayout, language?: SpeechLanguage): Piece[] {
  const shown = readableText(text); // once per sentence: the clauses are cut from what is shown
  const layout = (t: string) => layoutCjk(t, o.maxLineCharsCjk, o.maxLines);
  const fits = (t: string) => layout(t).length <= o.maxLines;
  const groups: string[] = [];
  if (fits(shown)) groups.push(shown);
  else {
    let cur = '';
    for (const clause of clausesOf(shown)) {
      if (cur && !fits(cur + clause)) {
        groups.push(cur);
        cur = '';
      }
      cur += clause;
    }
    if (cur) groups.push(cur);
  }
  const out: Piece[] = [];
  for (const g of groups) {
    // a clause longer than a whole cue: its lines in cue-sized chunks, time shared by width
    const lines = layout(g);
    const weight = spokenLength(g, language);
    for (let c = 0; c * o.maxLines < lines.length; c++) {
      const part = lines.slice(c * o.maxLines, (c + 1) * o.maxLines);
      out.push({ lines: part, weight: (weight * [...part.join('')].length) / Math.max(1, [...lines.join('')].length) });
    }
  }
  return out;
}

/** Cues of one span: sentences, each cut into cue-sized pieces, timed by spoken length. */
export function cuesOf(span: SpeechSpan, o: CaptionLayout = DEFAULT_LAYOUT, language?: SpeechLanguage): Cue[] {
  const pieces: Piece[] = [];
  for (const s of sentences(span.text, language)) {
    if (HAN.test(s.text)) pieces.push(...cjkPieces(s.text, o, language));
    else pieces.push(...latinPieces(s.text, spokenLength(s.text, language), o));
  }
  const total = pieces.reduce((a, p) => a + p.weight, 0) || 1;
  const length = Math.max(0, span.endSec - span.startSec);
  const cues: Cue[] = [];
  let at = span.startSec;
  for (const p of pieces) {
    const end = at + (length * p.weight) / total;
    cues.push({ startSec: at, endSec: end, lines: p.lines });
    at = end;
  }
  if (cues.length) cues[cues.length - 1].endSec = span.endSec;
  return cues;
}

/**
 * Where each segment's speech lies. `pauseSec`: the silence appended to every segment but the
 * last (it belongs to no cue). A task without segments is one span over its whole speech.
 */
export function speechSpans(task: Task, segments: Task[], pauseSec: number): SpeechSpan[] | null {
  if (!segments.length) return task.audioDurationSec ? [{ text: task.text, startSec: 0, endSec: task.audioDurationSec }] : null;
  const spans: SpeechSpan[] = [];
  let at = 0;
  for (const [i, s] of segments.entries()) {
    if (s.audioDurationSec === null) return null;
    const pause = i === segments.length - 1 ? 0 : pauseSec;
    spans.push({ text: s.text, startSec: at, endSec: at + Math.max(0.1, s.audioDurationSec - pause) });
    at += s.audioDurationSec;
  }
  return spans;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
function stamp(sec: number, sep: ',' | '.'): string {
  const ms = Math.max(0, Math.round(sec * 1000));
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${sep}${pad(ms % 1000, 3)}`;
}

export function toSrt(cues: Cue[]): string {
  return cues.map((c, i) => `${i + 1}\n${stamp(c.startSec, ',')} --> ${stamp(c.endSec, ',')}\n${c.lines.join('\n')}\n`).join('\n');
}

/** `settings`: WebVTT cue settings of the task's caption style (vttCueSettings), after each timing. */
export function toVtt(cues: Cue[], settings = ''): string {
  // "-->" cannot appear in a cue's text; "&" and "<" are markup in WebVTT
  const esc = (l: string) => l.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/-->/g, '--&gt;');
  return `WEBVTT\n\n${cues.map((c) => `${stamp(c.startSec, '.')} --> ${stamp(c.endSec, '.')}${settings}\n${c.lines.map(esc).join('\n')}\n`).join('\n')}`;
}

/** The cue size of a caption style (its own, not the configured one). */
export const layoutOf = (s: CaptionStyle): CaptionLayout => ({ maxLines: s.maxLines, maxLineChars: s.maxLineChars, maxLineCharsCjk: s.maxLineCharsCjk });

/** Cues of a task; a task with a caption style is laid out (and cased) by it, tracks and burn alike. */
export function captionCues(task: Task, segments: Task[], pauseSec: number, layout: CaptionLayout = DEFAULT_LAYOUT): Cue[] | null {
  const spans = speechSpans(task, segments, pauseSec);
  const style = task.captionStyle;
  const cues = spans ? spans.flatMap((s) => cuesOf(s, style ? layoutOf(style) : layout, task.language)) : null;
  return cues && style?.uppercase ? cues.map((c) => ({ ...c, lines: c.lines.map((l) => l.toLocaleUpperCase('en')) })) : cues;
}
