/**
 * RFC 4180 CSV reader for batch uploads: quoted fields with `""` escapes, commas and line
 * breaks inside quotes, CRLF / LF / CR line ends, a UTF-8 byte-order mark. It reports the
 * physical line each record starts on, so a bad row is named the way an editor shows it.
 */
export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

export function parseCsv(input: string): CsvRecord[] {
  const s = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const out: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quoted = false; // the current field started with a quote and is still open
  let afterQuote = false; // the current field's closing quote was read
  const endField = () => {
    fields.push(field);
    field = '';
    afterQuote = false;
  };
  const endRecord = () => {
    endField();
    // a blank line (one empty field) is no record
    if (!(fields.length === 1 && fields[0] === '')) out.push({ fields, line: recordLine });
    fields = [];
  };
  while (i < s.length) {
    const c = s[i];
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        afterQuote = true;
        i += 1;
        continue;
      }
      if (c === '\n' || (c === '\r' && s[i + 1] !== '\n')) line += 1;
      field += c;
      i += 1;
      continue;
    }
    if (c === ',') {
      endField();
      i += 1;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && s[i + 1] === '\n' ? 2 : 1;
      line += 1;
      recordLine = line;
      continue;
    }
    if (afterQuote) throw new CsvError(line, `unexpected character after a closing quote on line ${line} (a quote inside a quoted field is written "")`);
    if (c === '"' && field === '') {
      quoted = true;
      i += 1;
      continue;
    }
    field += c;
    i += 1;
  }
  if (quoted) throw new CsvError(recordLine, `a quoted field that starts on line ${recordLine} is never closed`);
  if (field !== '' || fields.length || afterQuote) endRecord();
  return out;
}
