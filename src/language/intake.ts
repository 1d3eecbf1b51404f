/**
 * The language of a new task and the check for scripts the TTS cannot speak (docs/api.md,
 * "Language"). Pure and shared by every intake (POST /api/generate, batch rows, the normalize
 * preview): it returns an outcome and never throws, so the HTTP layer alone decides how a
 * refusal is answered.
 *
 * Detection runs once, at intake, on the text as submitted: the task then follows one language
 * through splitting, speech text, captions and the preview voice, and a retry or a segment of
 * it never re-detects differently.
 */
import { detectLanguage, type LanguageOption, type SpeechLanguage } from '../text/language.js';
import { findUnsupported, stripUnsupported, type UnsupportedChar } from '../text/scripts.js';
import type { Normalize } from './speech-text.js';

export const LANGUAGE_OPTIONS: readonly LanguageOption[] = ['auto', 'zh', 'en'];

/** What to do with characters of scripts the TTS cannot speak (config `text.unsupportedScripts`). */
export type UnsupportedScriptPolicy = 'refuse' | 'strip' | 'pass';

/**
 * A request's `language` field: absent or empty → `auto`; `zh`/`en`/`auto` in any case, and the
 * regional tags clients send for them (`zh-CN`, `zh-Hans`, `en-US`, …); anything else → null.
 */
export function parseLanguageOption(value: unknown): LanguageOption | null {
  if (value === undefined || value === null || value === '') return 'auto';
  if (typeof value !== 'string') return null;
  const v = value.trim().toLowerCase();
  if (v === 'auto' || v === 'zh' || v === 'en') return v;
  if (/^(zh|cmn)([-_](hans|hant|cn|tw|hk|sg)){0,2}$/.test(v)) return 'zh';
  if (/^en([-_][a-z]{2})?$/.test(v)) return 'en';
  return null;
}

export function resolveLanguage(requested: LanguageOption, text: string): SpeechLanguage {
  return requested === 'auto' ? detectLanguage(text) : requested;
}

/** Most offending characters a refusal lists (the count is always given in full). */
export const MAX_LISTED = 50;

export type ScriptOutcome =
  | { ok: true; text: string; removed: UnsupportedChar[] }
  | { ok: false; found: UnsupportedChar[] };

/**
 * Apply the policy to a text: `refuse` → not ok with every offending character and its
 * position; `strip` → the text without them (and which were removed); `pass` → unchanged.
 */
export function checkScripts(text: string, policy: UnsupportedScriptPolicy, supported?: SpeechLanguage[]): ScriptOutcome {
  if (policy === 'pass') return { ok: true, text, removed: [] };
  const found = findUnsupported(text, supported);
  if (!found.length) return { ok: true, text, removed: [] };
  if (policy === 'refuse') return { ok: false, found };
  return { ok: true, text: stripUnsupported(text, found).trim(), removed: found };
}

/** "Devanagari (5): नमस्ते…" — a short human summary of what was found, by script. */
export function describeUnsupported(found: readonly UnsupportedChar[]): string {
  const byScript = new Map<string, string[]>();
  for (const f of found) byScript.set(f.script, [...(byScript.get(f.script) ?? []), f.char]);
  return [...byScript].map(([script, chars]) => `${script} (${chars.length}): ${chars.slice(0, 12).join('')}${chars.length > 12 ? '…' : ''}`).join('; ');
}

/** One character as clients see it: the character, its UTF-16 offset, its script and code point. */
export const presentChar = (c: UnsupportedChar, row?: number): Record<string, unknown> => ({
  ...(row !== undefined ? { row } : {}),
  char: c.char,
  index: c.index,
  script: c.script,
  code_point: `U+${c.char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
});

/** What a new task stores of its script: the text, its speech text and the language both follow. */
export interface SpeechTask {
  text: string;
  normalizedText: string;
  language: SpeechLanguage;
  languageRequested: LanguageOption;
}

/**
 * The one step every submit path takes from an accepted text to the task's speech fields
 * (POST /api/generate, a template render, a batch row): the language is settled once, here,
 * and the speech text is normalized in it. A template's variables are filled before this, so
 * their values are read like any other part of the script.
 */
export function speechTask(text: string, requested: LanguageOption, normalize: Normalize): SpeechTask {
  const language = resolveLanguage(requested, text);
  return { text, normalizedText: normalize(text, language), language, languageRequested: requested };
}
