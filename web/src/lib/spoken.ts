/** The Create page's "what the voice will say" preview (pure parts). */
import type { TFunction } from 'i18next';
import { tr } from '../i18n/tr';

/** One rewrite reported by POST /api/normalize; offsets are into the original text. */
export interface SpokenChange {
  start: number;
  end: number;
  original: string;
  spoken: string;
  /** What the span was read as (year, code, url, money, …); older servers do not send it. */
  class?: string;
}

/** The label shown next to a rewrite: "year", "web address", … in the UI's language; unknown classes as sent, '' for none. */
export function classLabel(t: TFunction, cls: string | undefined): string {
  return cls ? tr(t, 'spokenClass', cls) : '';
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
