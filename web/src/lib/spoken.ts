/** The Create page's "what the voice will say" preview (pure parts). */

/** One rewrite reported by POST /api/normalize; offsets are into the original text. */
export interface SpokenChange {
  start: number;
  end: number;
  original: string;
  spoken: string;
  /** What the span was read as (year, code, url, money, …); older servers do not send it. */
  class?: string;
}

/** Words for the classes the normalizer reports (docs/text-normalization.md); unknown ones are shown as sent. */
const CLASS_LABELS: Record<string, string> = {
  markup: 'markup', math: 'maths', url: 'web address', email: 'e-mail', file: 'file name', date: 'date', time: 'time', phone: 'phone number',
  digits: 'digits', code: 'code', money: 'money', percent: 'percent', measure: 'measure', fraction: 'fraction', ordinal: 'ordinal', decade: 'decade',
  year: 'year', cardinal: 'number', range: 'range', version: 'version', dimension: 'dimensions', symbol: 'symbol', abbreviation: 'abbreviation',
};

/** The label shown next to a rewrite: "year", "web address", … ('' when the server sent no class). */
export function classLabel(cls: string | undefined): string {
  if (!cls) return '';
  return CLASS_LABELS[cls] ?? cls;
}

export interface NormalizeView {
  normalized: string;
  changes: SpokenChange[];
}

/**
 * The rewrites worth listing under the preview: each distinct original once, in text order,
 * at most `max` (a long formula-heavy text would otherwise bury the preview).
 */
export function distinctChanges(changes: SpokenChange[], max = 12): { shown: SpokenChange[]; more: number } {
  const seen = new Set<string>();
  const out: SpokenChange[] = [];
  for (const c of [...changes].sort((a, b) => a.start - b.start)) {
    const key = `${c.original}\u0000${c.spoken}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return { shown: out.slice(0, max), more: Math.max(0, out.length - max) };
}

/** The preview to show when the gateway cannot be asked: the text as typed, nothing rewritten. */
export function rawPreview(text: string): NormalizeView {
  return { normalized: text, changes: [] };
}
