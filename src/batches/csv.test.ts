import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads quotes, escaped quotes, commas and line breaks inside quotes, CRLF and a BOM', () => {
    const text = '\uFEFFtext,lang\r\n"Hello, ""world""",en\r\n"two\r\nlines",de\r\nplain,fr';
    expect(parseCsv(text)).toEqual([
      { fields: ['text', 'lang'], line: 1 },
      { fields: ['Hello, "world"', 'en'], line: 2 },
      { fields: ['two\r\nlines', 'de'], line: 3 },
      { fields: ['plain', 'fr'], line: 5 },
    ]);
  });

  it('skips blank lines, keeps empty fields and a trailing newline adds nothing', () => {
    expect(parseCsv('a,b\n\n,x\n"",\n')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['', 'x'], line: 3 },
      { fields: ['', ''], line: 4 },
    ]);
    expect(parseCsv('a\rb\r')).toEqual([
      { fields: ['a'], line: 1 },
      { fields: ['b'], line: 2 },
    ]);
  });

  it('names the line of an unclosed quote and of garbage after a closing quote', () => {
    expect(() => parseCsv('text\nok\n"never\nclosed')).toThrow(CsvError);
    try {
      parseCsv('text\nok\n"never\nclosed');
    } catch (err) {
      expect((err as CsvError).line).toBe(3);
    }
    expect(() => parseCsv('text\n"a"b\n')).toThrow(/line 2/);
  });
});
