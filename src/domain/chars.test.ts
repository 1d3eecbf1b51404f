import { describe, expect, it } from 'vitest';
import { charCount, firstChars } from './chars.js';

describe('charCount / firstChars', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(charCount('')).toBe(0);
    expect(charCount('abc')).toBe(3);
    expect(charCount('😀'.repeat(5000))).toBe(5000);
    expect('😀'.repeat(5000).length).toBe(10000);
    expect(charCount('é😀x')).toBe(3);
    expect(charCount('\ud83d')).toBe(1); // a lone surrogate is one character
    expect(charCount('\ude00\ud83d')).toBe(2);
  });

  it('cuts on character boundaries', () => {
    expect(firstChars('hello', 50)).toBe('hello');
    expect(firstChars('abcdef', 3)).toBe('abc');
    const emoji = '😀'.repeat(60);
    expect(firstChars(emoji, 50)).toBe('😀'.repeat(50));
    expect(firstChars(`a${emoji}`, 2)).toBe('a😀');
    expect(firstChars('x\ud83d', 2)).toBe('x\ud83d');
  });
});
