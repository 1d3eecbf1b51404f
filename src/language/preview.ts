/**
 * POST /api/normalize's answer: what the voice will say, in which language, and which
 * characters the speech engine cannot speak. A preview never refuses: it shows what generate
 * would refuse (or, under `strip`, what it would remove — then also listed among the changes,
 * class `unsupported_script`, spoken as nothing).
 */
import { normalizeForSpeech, type NormalizeChange } from '../text/index.js';
import type { LanguageOption, SpeechLanguage } from '../text/language.js';
import { findUnsupported, stripUnsupported } from '../text/scripts.js';
import { presentChar, resolveLanguage, type UnsupportedScriptPolicy } from './intake.js';

export interface RemovalChange {
  start: number;
  end: number;
  original: string;
  spoken: '';
  class: 'unsupported_script';
}

export interface NormalizePreview {
  normalized: string;
  changes: Array<NormalizeChange | RemovalChange>;
  language: SpeechLanguage;
  unsupported: Array<Record<string, unknown>>;
}

export function normalizePreview(text: string, requested: LanguageOption, policy: UnsupportedScriptPolicy): NormalizePreview {
  const found = policy === 'pass' ? [] : findUnsupported(text);
  const language = resolveLanguage(requested, found.length && policy === 'strip' ? stripUnsupported(text, found) : text);
  const r = normalizeForSpeech(text, { language });
  if (policy !== 'strip' || !found.length) return { normalized: r.text, changes: r.changes, language, unsupported: found.map((c) => presentChar(c)) };
  // other scripts pass the normalizer untouched, so they are found again in its output
  const removals: RemovalChange[] = found.map((c) => ({ start: c.index, end: c.index + c.char.length, original: c.char, spoken: '', class: 'unsupported_script' }));
  return {
    normalized: stripUnsupported(r.text, findUnsupported(r.text)).trim(),
    changes: [...r.changes, ...removals].sort((a, b) => a.start - b.start),
    language,
    unsupported: found.map((c) => presentChar(c)),
  };
}
