import { describe, expect, it } from 'vitest';
import { referenceTranscript } from './voice-prep.js';

describe('reference transcript', () => {
  it('one reference file gets one text: the parts the route returns joined by a space, never `|||`', () => {
    expect(referenceTranscript('The quick brown fox.|||It jumps.')).toBe('The quick brown fox. It jumps.');
    expect(referenceTranscript(' one ||| ||| two ')).toBe('one two');
    expect(referenceTranscript('')).toBe('');
    expect(referenceTranscript('no separator')).toBe('no separator');
  });
});
