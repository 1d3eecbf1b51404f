import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QueueIndex } from './queue-index.js';

describe('QueueIndex', () => {
  it('positions follow seq order through adds and removes', () => {
    const q = new QueueIndex();
    q.add('c', 30);
    q.add('a', 10);
    q.add('b', 20);
    expect([q.position('a'), q.position('b'), q.position('c')]).toEqual([1, 2, 3]);
    q.remove('a');
    expect(q.position('c')).toBe(2);
    expect(q.position('a')).toBeNull();
    expect(q.firstIds(5)).toEqual(['b', 'c']);
  });

  it('counts a parent once and not its parts; a part answers its waiting parent\u2019s position', () => {
    const q = new QueueIndex();
    q.add('a', 1);
    q.add('p', 2);
    q.add('p-0', 3, 'p');
    q.add('p-1', 4, 'p');
    q.add('b', 5);
    expect(q.size).toBe(3);
    expect(q.rows).toBe(5);
    expect([q.position('a'), q.position('p'), q.position('p-1'), q.position('b')]).toEqual([1, 2, 2, 3]);
    q.remove('p'); // the script is under way
    expect(q.position('p-1')).toBeNull();
    expect(q.position('b')).toBe(2);
    q.remove('p-0');
    expect(q.size).toBe(2);
    expect(q.firstIds(5)).toEqual(['a', 'p-1', 'b']);
  });

  it('matches a naive sorted list for any sequence of operations', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 40 }))), (ops) => {
        const q = new QueueIndex();
        const naive = new Set<number>();
        for (const [isAdd, n] of ops) {
          if (isAdd) {
            q.add(`t${n}`, n);
            naive.add(n);
          } else {
            q.remove(`t${n}`);
            naive.delete(n);
          }
        }
        const sorted = [...naive].sort((x, y) => x - y);
        expect(q.size).toBe(sorted.length);
        sorted.forEach((n, i) => expect(q.position(`t${n}`)).toBe(i + 1));
      }),
    );
  });
});
