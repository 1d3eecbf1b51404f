/**
 * Pure formatting helpers. Numbers, units, dates and relative times go through Intl with the
 * UI's active locale (passed in, so they are testable in both languages); words come from the
 * catalog through the `t` passed in.
 */
import type { TFunction } from 'i18next';

export const FINAL_STATUSES = new Set(['completed', 'failed', 'timeout', 'canceled']);

export function isFinal(status: string): boolean {
  return FINAL_STATUSES.has(status);
}

// Intl formatters are costly to build and these run on every render: one per locale and options.
const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.NumberFormat(locale, opts)));
  return f;
}

export function formatNumber(n: number, locale: string, opts: Intl.NumberFormatOptions = {}): string {
  return numberFormat(locale, opts).format(n);
}

/** "12.3 sec" / "12.3秒": a value with a CLDR unit, `digits` decimals. */
function unit(v: number, u: string, locale: string, digits = 0): string {
  return formatNumber(v, locale, { style: 'unit', unit: u, unitDisplay: 'short', minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** 0.123 → "12.3%". */
export function formatPercent(fraction: number, locale: string, digits = 1): string {
  return formatNumber(fraction, locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatSeconds(s: number | null | undefined, locale: string): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  if (s < 1) return unit(Math.round(s * 1000), 'millisecond', locale);
  if (s < 60) return unit(s, 'second', locale, 1);
  const whole = Math.round(s);
  const minutes = unit(Math.floor(whole / 60), 'minute', locale);
  if (whole % 60 === 0) return minutes;
  return new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' }).format([minutes, unit(whole % 60, 'second', locale)]);
}

export function formatAge(iso: string, now: number, locale: string): string {
  const s = Math.max(0, (now - Date.parse(iso)) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale, { style: 'short', numeric: 'always' });
  if (s < 60) return rtf.format(-Math.floor(s), 'second');
  if (s < 3600) return rtf.format(-Math.floor(s / 60), 'minute');
  if (s < 86400) return rtf.format(-Math.floor(s / 3600), 'hour');
  return rtf.format(-Math.floor(s / 86400), 'day');
}

/** A server timestamp as a local date and time ("Jan 2, 2026, 3:04:05 PM" / "2026年1月2日 15:04:05"). */
export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));
}

/** Only the time of day, for events of today (health checks, heartbeats). */
export function formatTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }).format(new Date(iso));
}

export function formatBytes(n: number, locale: string): string {
  const num = (v: number, digits: number) => formatNumber(v, locale, { maximumFractionDigits: digits });
  if (n < 1024) return `${num(n, 0)} B`;
  if (n < 1024 ** 2) return `${num(n / 1024, 0)} KiB`;
  if (n < 1024 ** 3) return `${num(n / 1024 ** 2, 0)} MiB`;
  return `${num(n / 1024 ** 3, 1)} GiB`;
}

/** Which form field an API error code concerns (errors are shown next to it). */
export function fieldForError(code: string): 'text' | 'video' | 'form' {
  if (code.startsWith('text_') || code === 'unsupported_script') return 'text';
  if (code.startsWith('video_') || code.startsWith('upload_') || code === 'too_many_files' || code === 'unexpected_file') return 'video';
  return 'form';
}

/** Client-side check of a chosen face video before upload (the server checks content again). */
export function checkVideoFile(file: { name: string; size: number }, formats: string[], maxBytes: number, t: TFunction, locale: string): string | null {
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  // the server refuses an empty file too, but only after the upload: say it before
  if (file.size === 0) return t('video.empty');
  if (!formats.includes(ext)) return t('video.badFormat', { ext, formats: formats.join(', ') });
  if (file.size > maxBytes) return t('video.tooLarge', { size: formatBytes(file.size, locale), max: formatBytes(maxBytes, locale) });
  return null;
}

/**
 * The length check the server makes on a face video (`video_too_long`), said before the upload;
 * null when the length is within the limit or unknown (the server still checks).
 */
export function checkVideoLength(seconds: number | null, maxSeconds: number | null | undefined, t: TFunction, locale: string): string | null {
  if (seconds === null || !maxSeconds || !(seconds > maxSeconds)) return null;
  return t('video.tooLong', { length: formatSeconds(seconds, locale), max: formatSeconds(maxSeconds, locale) });
}

/** How long a queued task has waited; sub-second waits read as "< 1 sec", not "0 ms". */
export function formatWait(s: number, locale: string): string {
  return s < 1 ? `< ${unit(1, 'second', locale)}` : formatSeconds(s, locale);
}

/** "about 1 min 20 sec (50.0 sec – 2 min 5 sec)"; null when there is no estimate. */
export function formatEta(e: { eta_seconds?: number | null; eta_low?: number | null; eta_high?: number | null; status?: string }, t: TFunction, locale: string): string | null {
  if (e.eta_seconds === null || e.eta_seconds === undefined) return null;
  // a row that ended keeps the last estimate an event carried: never "ready in" on it
  if (e.status && isFinal(e.status)) return null;
  const value = formatWait(e.eta_seconds, locale);
  if (e.eta_low != null && e.eta_high != null && e.eta_high > e.eta_low) {
    return t('format.aboutRange', { value, low: formatWait(e.eta_low, locale), high: formatSeconds(e.eta_high, locale) });
  }
  return t('format.about', { value });
}
