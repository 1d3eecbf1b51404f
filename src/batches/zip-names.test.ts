import { describe, expect, it } from 'vitest';
import { csvOf, rowLabel, UniqueNames } from './zip-names.js';

describe('zip names', () => {
  it('are readable, safe and unique', () => {
    const u = new UniqueNames();
    expect(u.take('Hello, world!')).toBe('hello-world');
    expect(u.take('hello world')).toBe('hello-world-2');
    expect(u.take('../../etc/passwd')).toBe('etc-passwd');
    expect(u.take('这款手机售价2999元')).toBe('这款手机售价2999元');
    expect(u.take('', '03-')).toBe('03-video');
  });

  it('take a batch row label from a chosen column', () => {
    const row = { rowIndex: 3, taskId: 'x'.repeat(26), text: 'Hi there', metadata: { sku: 'A-12', n: 7 } };
    expect(rowLabel('sku', row)).toBe('A-12');
    expect(rowLabel('n', row)).toBe('7');
    expect(rowLabel('text', row)).toBe('Hi there');
    expect(rowLabel('row', row)).toBe('3');
    expect(rowLabel('missing', row)).toBeNull();
    expect(rowLabel(undefined, row)).toBeNull();
  });

  it('write CSV that spreadsheets read as text', () => {
    expect(csvOf(['a', 'b'], [['x,y', '=1+2'], ['say "hi"', null]])).toBe('a,b\r\n"x,y",\"\'=1+2"\r\nsay "hi",\r\n'.replace('say "hi"', '"say ""hi"""'));
  });
});
