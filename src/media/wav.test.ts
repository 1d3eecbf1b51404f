import { describe, expect, it } from 'vitest';
import { makeWav, parseWavHeader } from './wav.js';

describe('wav', () => {
  it('round-trips a PCM16 mono WAV', () => {
    const wav = makeWav(new Int16Array(44100), 44100);
    expect(parseWavHeader(wav)).toEqual({ sampleRate: 44100, channels: 1, bitsPerSample: 16, dataBytes: 88200, durationSec: 1 });
  });
  it('rejects JSON, truncated and empty inputs', () => {
    expect(parseWavHeader(Buffer.from('{"statusCode":500}'))).toBeNull();
    expect(parseWavHeader(Buffer.alloc(0))).toBeNull();
    expect(parseWavHeader(makeWav(new Int16Array(10), 44100).subarray(0, 30))).toBeNull();
  });
  it('reports a header-only WAV as zero seconds', () => {
    expect(parseWavHeader(makeWav(new Int16Array(0), 44100))?.durationSec).toBe(0);
  });
});
