import { describe, expect, it } from 'vitest';
import { cardinalZh, digitsZh, numberZh } from './numbers.js';

describe('cardinalZh', () => {
  it.each([
    ['0', '零'], ['2', '二'], ['10', '十'], ['12', '十二'], ['20', '二十'], ['22', '二十二'], ['100', '一百'], ['101', '一百零一'], ['110', '一百一十'],
    ['200', '两百'], ['1050', '一千零五十'], ['1200', '一千二百'], ['2000', '两千'], ['2999', '两千九百九十九'], ['10000', '一万'], ['10001', '一万零一'],
    ['20000', '两万'], ['22000', '两万两千'], ['100000', '十万'], ['1000001', '一百万零一'], ['10010000', '一千零一万'], ['101111111', '一亿零一百一十一万一千一百一十一'],
    ['200000000', '两亿'], ['1000000000000', '一万亿'], ['007', '七'],
  ])('%s → %s', (n, spoken) => {
    expect(cardinalZh(n)).toBe(spoken);
  });

  it('says 两 for a bare 2 only when it counts something', () => {
    expect(cardinalZh('2', { counting: true })).toBe('两');
    expect(cardinalZh('12', { counting: true })).toBe('十二');
    expect(cardinalZh('22', { counting: true })).toBe('二十二');
  });

  it('reads more than twenty digits one by one', () => {
    expect(cardinalZh('123456789012345678901')).toBe('一二三四五六七八九零一二三四五六七八九零一');
  });
});

describe('numberZh and digitsZh', () => {
  it.each([
    ['3.5', '三点五'], ['0.05', '零点零五'], ['-2', '负二'], ['−2.5', '负二点五'], ['1,200', '一千二百'], ['2.5', '二点五'], ['+3', '正三'],
  ])('%s → %s', (n, spoken) => {
    expect(numberZh(n)).toBe(spoken);
  });

  it('reads digit strings one by one, 0 as 零 and 1 as 一', () => {
    expect(digitsZh('13812345670')).toBe('一三八一二三四五六七零');
  });
});
