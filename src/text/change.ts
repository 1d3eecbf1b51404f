import type { SpanClass } from './spans.js';

/** One span the normalizer rewrote; shared by the English and the Chinese readers. */
export interface NormalizeChange {
  /** Offsets into the original input. */
  start: number;
  end: number;
  original: string;
  spoken: string;
  /** What the span was read as: year, code, url, money, … */
  class: SpanClass;
}
