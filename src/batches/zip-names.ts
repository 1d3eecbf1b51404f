/**
 * Names inside a results ZIP (a batch's, or a selection of tasks'): readable, unique, safe, and
 * a `manifest.csv` that says which file is which row or task. Pure.
 *
 * A name comes from a label (a batch column the caller chose with `name_by`, else the task's
 * title or first words) cut to letters and digits (download-name.ts `titleOf`), so no label can
 * name a path or break an unzip tool; a repeated name gets `-2`, `-3`, ….
 */
import { titleOf } from '../domain/download-name.js';

export class UniqueNames {
  private readonly seen = new Set<string>();

  /** `<prefix><base><suffix>` made unique (case-insensitively: some file systems are). */
  take(base: string, prefix = '', suffix = ''): string {
    const stem = `${prefix}${titleOf(base) || 'video'}${suffix}`;
    let name = stem;
    for (let n = 2; this.seen.has(name.toLowerCase()); n++) name = `${stem}-${n}`;
    this.seen.add(name.toLowerCase());
    return name;
  }
}

/** A batch row's label for `name_by`: `text`, `row`, `task_id`, or a metadata column (CSV extra columns). */
export function rowLabel(nameBy: string | undefined, row: { rowIndex: number; taskId: string; text: string; metadata: unknown }): string | null {
  if (!nameBy) return null;
  if (nameBy === 'row') return String(row.rowIndex);
  if (nameBy === 'task_id') return row.taskId;
  if (nameBy === 'text') return row.text;
  const m = row.metadata;
  if (m && typeof m === 'object' && !Array.isArray(m)) {
    const v = (m as Record<string, unknown>)[nameBy];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return null;
}

/** RFC 4180 CSV: every field quoted when it holds a comma, quote or line break; CRLF lines. */
export function csvOf(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  const field = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    // a leading = + - @ would run as a formula in a spreadsheet: quoted with a leading '
    const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
