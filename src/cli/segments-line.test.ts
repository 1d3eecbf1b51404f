import { describe, expect, it } from 'vitest';
import { segmentsLine } from './generate.command.js';

describe('generate: segment progress line', () => {
  it('says how many segments are done, which GPUs work, and the speech rendered', () => {
    const segments = [
      { index: 0, status: 'completed', gpu_id: 0 },
      { index: 1, status: 'processing', gpu_id: 2 },
      { index: 2, status: 'processing', gpu_id: 0 },
      { index: 3, status: 'queued', gpu_id: null },
    ];
    expect(segmentsLine({ segments, rendered_speech_seconds: 30.4, speech_seconds: 80 })).toBe('  segments 1/4 done, working on GPU 0,2 · 30/80 s of speech');
    expect(segmentsLine({})).toBe('');
  });
});
