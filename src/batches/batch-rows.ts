/**
 * Batch input → validated rows, from JSON (`{"rows": [{text, avatar_id?, voice_id?, metadata?}],
 * avatar_id?, voice_id?}`) or CSV (a header row with `text` and optional `avatar_id`,
 * `voice_id`, `language`; every other column becomes that row's metadata). Every row is checked before
 * anything is stored; all problems are reported together with their row numbers.
 */
import { charCount } from '../domain/chars.js';
import { DomainError } from '../domain/errors.js';
import { CsvError, parseCsv } from './csv.js';
import { LANGUAGE_OPTIONS, parseLanguageOption } from '../language/intake.js';
import type { LanguageOption } from '../text/language.js';

export interface RowInput {
  /** 1-based row number (JSON: index + 1; CSV: data row, header not counted). */
  row: number;
  text: string;
  avatarId: string | null;
  voiceId: string | null;
  /** `auto` unless the row (or the batch) names a language (docs/api.md, "Language"). */
  language: LanguageOption;
  metadata: unknown;
}

export interface RowProblem {
  row: number;
  /** CSV only: the line the row starts on. */
  line?: number;
  field: string;
  code: string;
  message: string;
}

export interface RowLimits {
  maxRows: number;
  maxTextChars: number;
  maxMetadataBytes: number;
}

/** avatar / voice ids are passed through to the task intake; only their shape is checked here. */
const ID_PATTERN = /^[\w.:@-]{1,100}$/;
const MAX_PROBLEMS = 100;

export function parseJsonRows(body: unknown, limits: RowLimits): RowInput[] {
  if (!body || typeof body !== 'object' || !Array.isArray((body as { rows?: unknown }).rows)) {
    throw new DomainError('batch_invalid', 'invalid', 'Send JSON {"rows": [{"text": "..."}, ...]} or a CSV file');
  }
  const b = body as { rows: unknown[]; avatar_id?: unknown; voice_id?: unknown; language?: unknown };
  const defaults = batchDefaults(b.avatar_id, b.voice_id, b.language);
  checkCount(b.rows.length, limits);
  const problems: RowProblem[] = [];
  const rows = b.rows.map((raw, i) => {
    const row = i + 1;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push({ row, field: 'row', code: 'row_invalid', message: 'Each row must be an object with "text"' });
      return null;
    }
    const r = raw as Record<string, unknown>;
    return checkRow(row, undefined, r.text, r.avatar_id ?? defaults.avatarId, r.voice_id ?? defaults.voiceId, r.language ?? defaults.language, r.metadata ?? null, limits, problems);
  });
  throwProblems(problems);
  return rows as RowInput[];
}

export function parseCsvRows(text: string, defaultsRaw: { avatar_id?: unknown; voice_id?: unknown; language?: unknown }, limits: RowLimits): RowInput[] {
  const defaults = batchDefaults(defaultsRaw.avatar_id, defaultsRaw.voice_id, defaultsRaw.language);
  const { names, data } = csvTable(text, limits, (n) => {
    if (!n.includes('text')) throw new DomainError('csv_invalid', 'invalid', 'The first CSV line must be a header naming a "text" column (optional: avatar_id, voice_id, and metadata columns)');
  });
  const textCol = names.indexOf('text');
  const avatarCol = names.indexOf('avatar_id');
  const voiceCol = names.indexOf('voice_id');
  const languageCol = names.indexOf('language');
  const metaCols = names.map((n, i) => [n, i] as const).filter(([n, i]) => n && i !== textCol && i !== avatarCol && i !== voiceCol && i !== languageCol);
  const problems: RowProblem[] = [];
  const rows = data.map((rec, i) => {
    const row = i + 1;
    if (rec.fields.length !== names.length) {
      problems.push({ row, line: rec.line, field: 'row', code: 'row_invalid', message: `Row has ${rec.fields.length} fields, the header has ${names.length}` });
      return null;
    }
    const cell = (col: number) => (col >= 0 && rec.fields[col] !== '' ? rec.fields[col] : undefined);
    const metadata = metaCols.length ? Object.fromEntries(metaCols.map(([n, col]) => [n, rec.fields[col]])) : null;
    return checkRow(row, rec.line, rec.fields[textCol], cell(avatarCol) ?? defaults.avatarId, cell(voiceCol) ?? defaults.voiceId, cell(languageCol) ?? defaults.language, metadata, limits, problems);
  });
  throwProblems(problems);
  return rows as RowInput[];
}

/**
 * A CSV body → its header names (trimmed) and data records; malformed CSV, a header `check`
 * refuses, a column named twice or a row count out of limits is refused before any row is read.
 */
export function csvTable(text: string, limits: RowLimits, check: (names: string[]) => void = () => undefined): { names: string[]; data: Array<{ line: number; fields: string[] }> } {
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvError) throw new DomainError('csv_invalid', 'invalid', `CSV is malformed: ${err.message}`, { line: err.line });
    throw err;
  }
  const [header, ...data] = records;
  const names = header?.fields.map((f) => f.trim()) ?? [];
  check(names);
  const dup = names.find((n, i) => n && names.indexOf(n) !== i);
  if (dup) throw new DomainError('csv_invalid', 'invalid', `The CSV header names column "${dup.slice(0, 40)}" twice`);
  checkCount(data.length, limits);
  return { names, data };
}

export function batchDefaults(avatar: unknown, voice: unknown, language: unknown): { avatarId: string | null; voiceId: string | null; language: LanguageOption } {
  const problems: RowProblem[] = [];
  const avatarId = checkId(0, undefined, 'avatar_id', avatar ?? null, problems);
  const voiceId = checkId(0, undefined, 'voice_id', voice ?? null, problems);
  const lang = checkLanguage(0, undefined, language, problems);
  if (problems.length) throw new DomainError('batch_invalid', 'invalid', problems[0].message, { errors: problems });
  return { avatarId, voiceId, language: lang };
}

function checkLanguage(row: number, line: number | undefined, v: unknown, problems: RowProblem[]): LanguageOption {
  const lang = parseLanguageOption(v);
  if (lang !== null) return lang;
  problems.push({ row, ...(line ? { line } : {}), field: 'language', code: 'language_invalid', message: `language must be one of ${LANGUAGE_OPTIONS.join(', ')}` });
  return 'auto';
}

export function checkCount(n: number, limits: RowLimits): void {
  if (n === 0) throw new DomainError('batch_empty', 'invalid', 'The batch has no rows');
  if (n > limits.maxRows) throw new DomainError('batch_too_large', 'too_large', `The batch has ${n} rows; at most ${limits.maxRows} are accepted (batches.maxRows)`, { limit: limits.maxRows });
}

function checkId(row: number, line: number | undefined, field: string, v: unknown, problems: RowProblem[]): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' && ID_PATTERN.test(v)) return v;
  problems.push({ row, ...(line ? { line } : {}), field, code: 'id_invalid', message: `${field} must be 1–100 letters, digits or . _ : @ -` });
  return null;
}

export function checkRow(row: number, line: number | undefined, text: unknown, avatar: unknown, voice: unknown, language: unknown, metadata: unknown, limits: RowLimits, problems: RowProblem[]): RowInput | null {
  const at = line ? { line } : {};
  const before = problems.length;
  const t = typeof text === 'string' ? text.trim() : '';
  if (!t) problems.push({ row, ...at, field: 'text', code: 'text_missing', message: 'No text' });
  else if (charCount(t) > limits.maxTextChars) problems.push({ row, ...at, field: 'text', code: 'text_too_long', message: `Text is longer than ${limits.maxTextChars} characters` });
  const avatarId = checkId(row, line, 'avatar_id', avatar, problems);
  const voiceId = checkId(row, line, 'voice_id', voice, problems);
  const lang = checkLanguage(row, line, language, problems);
  if (metadata !== null && Buffer.byteLength(JSON.stringify(metadata) ?? '') > limits.maxMetadataBytes) {
    problems.push({ row, ...at, field: 'metadata', code: 'metadata_too_large', message: `Metadata is larger than ${limits.maxMetadataBytes} bytes as JSON` });
  }
  return problems.length > before ? null : { row, text: t, avatarId, voiceId, language: lang, metadata };
}

export function throwProblems(problems: RowProblem[]): void {
  if (!problems.length) return;
  const rows = [...new Set(problems.map((p) => p.row))];
  const listed = rows.slice(0, 10).join(', ') + (rows.length > 10 ? ', …' : '');
  throw new DomainError('batch_rows_invalid', 'invalid', `${rows.length} row(s) are invalid (rows ${listed}); nothing was stored`, { errors: problems.slice(0, MAX_PROBLEMS), invalid_rows: rows.length });
}
