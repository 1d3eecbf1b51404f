/**
 * Batch rows filled from a template (docs/templates.md, "Batches"): every CSV column (or JSON
 * `variables` key) is a variable of the template, besides `avatar_id`, `voice_id` and
 * `language`. Every row is filled and checked before anything is stored; a missing variable (no
 * column, or an empty cell) or an extra one (a column the script does not use) is reported with
 * its row and column, all together: 422 `template_variables`, nothing queued. A filled row is
 * then checked like any batch row (batch-rows.ts). Its variables are echoed back as its metadata;
 * the template's output and caption options (aspect, watermark, caption_style, ...) are every row's.
 */
import { DomainError } from '../domain/errors.js';
import { fill, valuesOf, variablesOf, type Template } from '../templates/template.js';
import { batchDefaults, checkCount, checkRow, csvTable, throwProblems, type RowInput, type RowLimits, type RowProblem } from './batch-rows.js';

const RESERVED = ['avatar_id', 'voice_id', 'language'];

interface RawRow {
  row: number;
  line?: number;
  values: Record<string, string>;
  avatar: unknown;
  voice: unknown;
  language: unknown;
}

type Defaults = { avatar_id?: unknown; voice_id?: unknown; language?: unknown };

export function templateCsvRows(t: Template, csv: string, defaults: Defaults, limits: RowLimits): RowInput[] {
  const { names, data } = csvTable(csv, limits);
  const problems: RowProblem[] = [];
  const raw: RawRow[] = [];
  for (const [i, rec] of data.entries()) {
    if (rec.fields.length !== names.length) {
      problems.push({ row: i + 1, line: rec.line, field: 'row', code: 'row_invalid', message: `Row has ${rec.fields.length} fields, the header has ${names.length}` });
      continue;
    }
    const cells: Record<string, string> = Object.fromEntries(names.map((n, c) => [n, rec.fields[c]]).filter(([n]) => n));
    const cell = (n: string) => (cells[n] ? cells[n] : undefined);
    const values = Object.fromEntries(Object.entries(cells).filter(([n]) => !RESERVED.includes(n)));
    raw.push({ row: i + 1, line: rec.line, values, avatar: cell('avatar_id'), voice: cell('voice_id'), language: cell('language') });
  }
  return filled(t, raw, defaults, limits, problems);
}

export function templateJsonRows(t: Template, body: { rows?: unknown } & Defaults, limits: RowLimits): RowInput[] {
  if (!Array.isArray(body.rows)) throw new DomainError('batch_invalid', 'invalid', 'Send JSON {"template_id": "...", "rows": [{"variables": {...}}, ...]} or a CSV file');
  checkCount(body.rows.length, limits);
  const problems: RowProblem[] = [];
  const raw: RawRow[] = [];
  for (const [i, r] of (body.rows as unknown[]).entries()) {
    const o = r && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : null;
    const values = o ? valuesOf(o.variables) : null;
    if (!o || !values) {
      problems.push({ row: i + 1, field: 'variables', code: 'row_invalid', message: 'Each row must be an object with "variables": {name: string or number}' });
      continue;
    }
    raw.push({ row: i + 1, values, avatar: o.avatar_id, voice: o.voice_id, language: o.language });
  }
  return filled(t, raw, body, limits, problems);
}

function filled(t: Template, raw: RawRow[], defaultsRaw: Defaults, limits: RowLimits, problems: RowProblem[]): RowInput[] {
  const d = batchDefaults(defaultsRaw.avatar_id ?? t.avatar_id, defaultsRaw.voice_id ?? t.voice_id, defaultsRaw.language ?? t.language);
  const names = variablesOf(t.script);
  const options = Object.keys(t.options).length ? t.options : null;
  const mismatched: RowProblem[] = [];
  const rows: RowInput[] = [];
  for (const r of raw) {
    const at = r.line ? { line: r.line } : {};
    const out = fill(t.script, r.values);
    if (!out.ok) {
      for (const m of out.missing) mismatched.push({ row: r.row, ...at, field: m, code: 'variable_missing', message: `Row ${r.row}: no value for {{${m}}} (column "${m}")` });
      for (const x of out.extra) mismatched.push({ row: r.row, ...at, field: x, code: 'variable_extra', message: `Row ${r.row}: column "${x}" is not a variable of the template (${names.join(', ')})` });
      continue;
    }
    const row = checkRow(r.row, r.line, out.text, r.avatar ?? d.avatarId, r.voice ?? d.voiceId, r.language ?? d.language, r.values, limits, problems);
    // The template's output and caption options apply to every row, as they do to a single render.
    if (row) rows.push(options ? { ...row, output: { ...options } } : row);
  }
  if (mismatched.length) {
    const rowsHit = [...new Set(mismatched.map((p) => p.row))];
    throw new DomainError('template_variables', 'unprocessable', `${rowsHit.length} row(s) do not match the template's variables (first: ${mismatched[0].message}); nothing was queued`, {
      errors: mismatched.slice(0, 100),
      invalid_rows: rowsHit.length,
      variables: names,
    });
  }
  throwProblems(problems);
  return rows;
}
