/**
 * Speech normalization entry point. (Placeholder pass-through until the normalizer lands:
 * collapses whitespace only.)
 */
export interface NormalizeChange {
  start: number;
  end: number;
  original: string;
  spoken: string;
}
export interface NormalizeResult {
  text: string;
  changes: NormalizeChange[];
}
export interface NormalizeOptions {
  language?: 'en' | 'auto';
  maxLength?: number;
}

export function normalizeForSpeech(input: string, _options: NormalizeOptions = {}): NormalizeResult {
  return { text: input.replace(/\s+/g, ' ').trim(), changes: [] };
}
