/**
 * API errors in the UI's language. The gateway answers `{error, code}` with an English `error`
 * and a stable `code`; a code the catalog knows is shown in the UI's language, any other with
 * the server's message. The code itself is always shown (it is what support and logs search for).
 */
import type { TFunction } from 'i18next';
import { tr } from '../i18n/tr';

/** Fields of the error body besides `error` and `code` (e.g. the characters of `unsupported_script`). */
export type ErrorExtra = Record<string, unknown>;

/**
 * The characters an `unsupported_script` answer names, as "क, ह": the gateway lists them under
 * `details` (`{char, index, script, code_point}`, src/http/fields/language.ts); `characters` or
 * `chars`, of strings or of objects with `char`/`character`/`text`, are read too. Empty when
 * the body names none (the message then stays general).
 */
export function unsupportedChars(extra: ErrorExtra | undefined, max = 10): string {
  const list = extra?.details ?? extra?.characters ?? extra?.chars;
  if (!Array.isArray(list)) return '';
  const seen = new Set<string>();
  for (const item of list) {
    const c = typeof item === 'string' ? item : item && typeof item === 'object' ? ((item as Record<string, unknown>).char ?? (item as Record<string, unknown>).character ?? (item as Record<string, unknown>).text) : undefined;
    if (typeof c === 'string' && c) seen.add(c);
  }
  return [...seen].slice(0, max).join(', ');
}

/** The message of an error in the UI's language, falling back to the server's. */
export function errorMessage(t: TFunction, code: string, serverMessage: string, extra?: ErrorExtra): string {
  // no JSON error body (a proxy's error page, say): `api` names the code after the status
  const http = /^http_(\d{3})$/.exec(code);
  if (http) return t('errors.http_status', { status: http[1] });
  if (code === 'unsupported_script') {
    const chars = unsupportedChars(extra);
    if (chars) return t('errors.unsupported_script_chars', { chars });
  }
  return tr(t, 'errors', code, serverMessage);
}

/** An API error as one line for the page: message, code, and what to do when the catalog says. */
export function errorText(t: TFunction, code: string, serverMessage: string, extra?: ErrorExtra): string {
  const message = errorMessage(t, code, serverMessage, extra);
  const hint = tr(t, 'hints', code, '');
  return hint ? t('format.errorHint', { message, code, hint }) : t('format.error', { message, code });
}
