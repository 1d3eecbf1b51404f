/**
 * Which espeak-ng voice reads which part of a speech text (docs/segments.md, "Preview voice").
 * Pure. Han characters go to the Mandarin voice, Latin words to the English one; digits, spaces
 * and punctuation stay with the run they are in (at the start: the task's language). One run
 * is read with one voice as plain text; several are sent as SSML, where espeak-ng switches voice
 * per `<voice>` element inside one synthesis (measured: the pauses between runs are the
 * voice's own, no gap is added).
 */
import type { SpeechLanguage } from '../../text/language.js';

export interface VoiceRun {
  language: SpeechLanguage;
  text: string;
}

export interface PreviewVoice {
  /** espeak-ng voice name. */
  name: string;
  wordsPerMinute: number;
}

const HAN = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u3000-\u303F\uFF01-\uFF60]|[\u{20000}-\u{3FFFD}]/u;
const LATIN = /\p{Script=Latin}/u;

export function voiceRuns(text: string, fallback: SpeechLanguage): VoiceRun[] {
  const runs: VoiceRun[] = [];
  for (const ch of text) {
    const lang: SpeechLanguage | null = HAN.test(ch) ? 'zh' : LATIN.test(ch) ? 'en' : null;
    const last = runs[runs.length - 1];
    if (last && (lang === null || lang === last.language)) last.text += ch;
    else runs.push({ language: lang ?? fallback, text: ch });
  }
  // a run of only punctuation and digits at the very start joins the next run
  if (runs.length > 1 && !HAN.test(runs[0].text) && !LATIN.test(runs[0].text)) {
    runs[1] = { language: runs[1].language, text: runs[0].text + runs[1].text };
    runs.shift();
  }
  return runs;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/**
 * Runs → SSML for `espeak-ng -m`. espeak's `-s` sets one rate for the whole text; each run's
 * own rate is given relative to it with `<prosody rate>`.
 */
export function runsToSsml(runs: readonly VoiceRun[], voices: Record<SpeechLanguage, PreviewVoice>, baseWordsPerMinute: number): string {
  const parts = runs.map((r) => {
    const v = voices[r.language];
    const pct = Math.round((100 * v.wordsPerMinute) / baseWordsPerMinute);
    const body = pct === 100 ? escapeXml(r.text) : `<prosody rate="${pct}%">${escapeXml(r.text)}</prosody>`;
    return `<voice name="${escapeXml(v.name)}">${body}</voice>`;
  });
  return `<speak>${parts.join('')}</speak>`;
}
