import { describe, expect, it } from 'vitest';
import { fill, valuesOf, variablesOf } from './template.js';

describe('template variables', () => {
  it('finds each variable once, in first-use order, in any script and with spaces inside the braces', () => {
    expect(variablesOf('Hi {{name}}, {{ product }} costs {{price}}. Bye {{name}}!')).toEqual(['name', 'product', 'price']);
    expect(variablesOf('这款{{产品}}售价{{price}}元')).toEqual(['产品', 'price']);
    expect(variablesOf('no {{ }} {{1x}} {name} here')).toEqual([]);
  });

  it('fills values as text in one pass, and names what is missing or extra', () => {
    expect(fill('{{a}} and {{b}}', { a: '{{b}}', b: ' 2 ' })).toEqual({ ok: true, text: '{{b}} and 2' });
    expect(fill('{{a}} and {{b}}', { a: 'x', b: '  ', c: 'y' })).toEqual({ ok: false, missing: ['b'], extra: ['c'] });
  });

  it('takes strings and finite numbers as values, nothing else', () => {
    expect(valuesOf({ price: 2999, name: 'X' })).toEqual({ price: '2999', name: 'X' });
    expect(valuesOf(undefined)).toEqual({});
    expect(valuesOf({ a: null })).toBeNull();
    expect(valuesOf(['a'])).toBeNull();
  });
});
