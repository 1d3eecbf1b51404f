import { describe, expect, it } from 'vitest';
import { defaultTitle, taskTitle } from './title';
import { hashQuery, listHash, parseListQuery } from './listQuery';

describe('task titles', () => {
  it('take the first words of English text, the first characters of Chinese', () => {
    expect(defaultTitle('Gate C22 costs $5.')).toBe('Gate C22 costs $5.');
    expect(defaultTitle('One two three four five six seven eight.')).toBe('One two three four five six…');
    expect(defaultTitle('这款手机售价2999元，比去年便宜了20%。')).toBe('这款手机售价2999元，比去年便…');
    expect(defaultTitle('  ')).toBe('');
  });
  it('prefer the given title', () => {
    expect(taskTitle({ title: 'Launch', text: 'Hello world' })).toBe('Launch');
    expect(taskTitle({ title: null, input_text: 'Hello world' })).toBe('Hello world');
  });
});

describe('list queries in the address', () => {
  it('round-trip, leaving defaults out', () => {
    const q = { status: 'failed', q: '手机 launch', page: 3 };
    const hash = listHash('tasks', q);
    expect(hash).toBe('#/tasks?status=failed&q=%E6%89%8B%E6%9C%BA+launch&page=3');
    expect(parseListQuery(hashQuery(hash))).toEqual(q);
    expect(listHash('tasks', { status: '', q: '', page: 1 })).toBe('#/tasks');
  });
  it('fall back on bad values', () => {
    expect(parseListQuery('page=-2&status=')).toEqual({ status: '', q: '', page: 1 });
    expect(parseListQuery(undefined)).toEqual({ status: '', q: '', page: 1 });
  });
});
