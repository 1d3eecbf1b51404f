/**
 * The vocabulary of the classify → resolve → verbalize pipeline (docs/text-normalization.md):
 * a recognizer proposes candidate spans with a class, a score and parsed fields; the resolver
 * keeps the best non-overlapping set; one verbalizer per class speaks each kept span.
 */
export type SpanClass =
  | 'markup' | 'math' | 'url' | 'email' | 'file' | 'date' | 'time' | 'phone' | 'digits' | 'code' | 'money'
  | 'percent' | 'measure' | 'fraction' | 'ordinal' | 'decade' | 'year' | 'cardinal' | 'range' | 'version'
  | 'dimension' | 'symbol' | 'abbreviation';

/** Parsed pieces of a span, named per class; `kind` picks a variant within the class. */
export type Fields = Record<string, string | undefined> & { kind?: string };


/** What a recognizer may look at besides its match: the words around it. */
export interface Context {
  text: string;
  start: number;
  end: number;
  /** Lower-cased words before the span, nearest first (at most 3); computed on first use. */
  readonly before: string[];
  /** Lower-cased word after the span ('' at the end). */
  after: string;
  /** The raw characters right after the span (at most 3). */
  next: string;
}

export interface Recognizer {
  name: string;
  cls: SpanClass;
  /** Sticky pattern; every quantifier is bounded so a scan stays linear. */
  re: RegExp;
  /** A character class the match's first character belongs to (a fast pre-check). */
  first: RegExp;
  /** Only try where a word starts (after a character that is not a letter, digit or _). */
  wordStart?: boolean;
  /** At a digit: the length range of the leading digit run and the class of the character after it. */
  digitShape?: [number, number, RegExp];
  /** At an ASCII letter: the same for the leading run of letters. */
  letterShape?: [number, number, RegExp];
  /** At an ASCII letter: the lower-cased leading letter runs this recognizer can start with (keyword recognizers). */
  leadWords?: Set<string>;
  /** A character the text must contain for this recognizer to be tried at all. */
  requires?: string;
  /** A cheap precondition on the context (the span's end not yet known), checked before the pattern. */
  gate?: (ctx: Context) => boolean;
  /** The score for this match in context; 0 rejects it. */
  score: number | ((m: RegExpExecArray, ctx: Context) => number);
  fields: (m: RegExpExecArray) => Fields;
}

/** Speaks one kept span; `recurse` normalizes nested prose (markup link text, …). */
export type Verbalizer = (f: Fields, ctx: Context, recurse: (s: string) => string) => string;
