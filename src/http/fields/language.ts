/**
 * The HTTP side of a new task's language (docs/api.md, "Language"): the outcomes of
 * language/intake.ts answered as API errors — 400 `language_invalid` for a value that names no
 * language, 422 `unsupported_script` naming every character the TTS cannot speak.
 */
import type { UnsupportedChar } from '../../text/scripts.js';
import type { LanguageOption, SpeechLanguage } from '../../text/language.js';
import { checkScripts, describeUnsupported, LANGUAGE_OPTIONS, MAX_LISTED, parseLanguageOption, presentChar, resolveLanguage, type UnsupportedScriptPolicy } from '../../language/intake.js';
import { ApiError } from '../errors.js';

export interface LanguageIntake {
  /** The text to store: as submitted, or without the removed characters (`strip`). */
  text: string;
  language: SpeechLanguage;
  requested: LanguageOption;
  /** Characters removed under `text.unsupportedScripts: strip` (positions in the submitted text). */
  removed: UnsupportedChar[];
}

export function languageOf(value: unknown): LanguageOption {
  const requested = parseLanguageOption(value);
  if (requested === null) {
    throw new ApiError(400, 'language_invalid', `language must be one of ${LANGUAGE_OPTIONS.join(', ')}`, { allowed: [...LANGUAGE_OPTIONS] });
  }
  return requested;
}

export function unsupportedScriptError(found: Array<UnsupportedChar & { row?: number }>): ApiError {
  return new ApiError(
    422,
    'unsupported_script',
    `The text holds ${found.length} character(s) the speech engine cannot speak: ${describeUnsupported(found)}. Remove them, or set text.unsupportedScripts to strip or pass`,
    { details: found.slice(0, MAX_LISTED).map((c) => presentChar(c, c.row)), count: found.length },
  );
}

/**
 * `text` is the trimmed text; `lead` how many characters trimming took off its start, so the
 * positions a refusal names are those of the text as submitted.
 */
export function languageIntake(text: string, value: unknown, policy: UnsupportedScriptPolicy, lead = 0): LanguageIntake {
  const requested = languageOf(value);
  const outcome = checkScripts(text, policy);
  const shift = (c: UnsupportedChar) => ({ ...c, index: c.index + lead });
  if (!outcome.ok) throw unsupportedScriptError(outcome.found.map(shift));
  if (!outcome.text) throw new ApiError(400, 'text_missing', 'No text left to speak once the characters the speech engine cannot speak were removed');
  return { text: outcome.text, language: resolveLanguage(requested, outcome.text), requested, removed: outcome.removed.map(shift) };
}

/** What the 202 answer of an accepted task says about its language (and any removed characters). */
export function languageFields(l: LanguageIntake): Record<string, unknown> {
  return { language: l.language, language_requested: l.requested, ...(l.removed.length ? { removed_characters: l.removed.map((c) => presentChar(c)) } : {}) };
}

/**
 * Batch rows under the script policy: every row is checked before anything is stored; any
 * refused character in any row → one 422 naming row, character and position. `strip` returns
 * the rows with the characters removed (a row left with nothing to speak → 400).
 */
export function rowsScripts<R extends { row: number; text: string }>(rows: R[], policy: UnsupportedScriptPolicy): R[] {
  const refused: Array<UnsupportedChar & { row: number }> = [];
  const emptied: number[] = [];
  const out = rows.map((r) => {
    const o = checkScripts(r.text, policy);
    if (!o.ok) refused.push(...o.found.map((c) => ({ ...c, row: r.row })));
    else if (!o.text) emptied.push(r.row);
    return o.ok ? { ...r, text: o.text } : r;
  });
  if (refused.length) throw unsupportedScriptError(refused);
  if (emptied.length) throw new ApiError(400, 'text_missing', `Rows ${emptied.slice(0, 10).join(', ')} have no text left once the characters the speech engine cannot speak were removed; nothing was stored`, { rows: emptied });
  return out;
}
