import { describe, expect, it } from 'vitest';
import { parseTheme } from './theme';

describe('theme', () => {
  it('follows the system unless light or dark was chosen', () => {
    expect(parseTheme(null)).toBe('system');
    expect(parseTheme('dark')).toBe('dark');
    expect(parseTheme('light')).toBe('light');
    expect(parseTheme('purple')).toBe('system');
  });
});
