/**
 * Captions (SRT and WebVTT) for every task (docs/segments.md). Each segment's text is timed
 * inside that segment's real speech: segment k starts at the sum of the earlier segments'
 * lengths and ends where its speech ends (its pause excluded). Inside a segment, sentences —
 * and cues of a long sentence — get time in proportion to their spoken length. Cues hold at
 * most 2 lines of at most 42 characters; the text is shown as written (readable.ts).
 */
import type { Task } from '../domain/task.js';
import { normalizeForSpeech } from '../text/index.js';
import { readableText } from './readable.js';
import { sentences } from './split.js';

export const MAX_LINE = 42;
export const MAX_LINES = 2;

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

/** Words into lines of ≤ MAX_LINE characters (a longer single word gets a line of its own). */
export function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + w.length > MAX_LINE) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

const spokenLength = (text: string) => Math.max(1, normalizeForSpeech(text).text.length);

/** Cues of one span: sentences, each cut into cue-sized pieces, timed by spoken length. */
export function cuesOf(span: SpeechSpan): Cue[] {
  const pieces: Array<{ lines: string[]; weight: number }> = [];
  for (const s of sentences(span.text)) {
    const lines = wrap(readableText(s.text));
    const weight = spokenLength(s.text);
    const chunks = Math.ceil(lines.length / MAX_LINES);
    const chars = lines.reduce((a, l) => a + l.length, 0) || 1;
    for (let c = 0; c < chunks; c++) {
      const part = lines.slice(c * MAX_LINES, (c + 1) * MAX_LINES);
      pieces.push({ lines: part, weight: (weight * part.reduce((a, l) => a + l.length, 0)) / chars });
    }
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

export function toVtt(cues: Cue[]): string {
  // "-->" cannot appear in a cue's text; "&" and "<" are markup in WebVTT
  const esc = (l: string) => l.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/-->/g, '--&gt;');
  return `WEBVTT\n\n${cues.map((c) => `${stamp(c.startSec, '.')} --> ${stamp(c.endSec, '.')}\n${c.lines.map(esc).join('\n')}\n`).join('\n')}`;
}

export function captionCues(task: Task, segments: Task[], pauseSec: number): Cue[] | null {
  const spans = speechSpans(task, segments, pauseSec);
  return spans ? spans.flatMap(cuesOf) : null;
}
