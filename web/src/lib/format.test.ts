import { describe, expect, it } from 'vitest';
import { checkVideoFile, fieldForError, formatAge, formatBytes, formatSeconds, formatEta, formatWait, isFinal } from './format';

describe('format', () => {
  it('formats durations, ages and sizes', () => {
    expect(formatSeconds(0.25)).toBe('250 ms');
    expect(formatSeconds(12.34)).toBe('12.3 s');
    expect(formatSeconds(125)).toBe('2 min 5 s');
    expect(formatSeconds(null)).toBe('—');
    expect(formatSeconds(Number.NaN)).toBe('—');
    expect(formatAge('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:05:00Z'))).toBe('5 min ago');
    expect(formatAge('2026-01-01T00:00:00Z', Date.parse('2026-01-03T00:00:00Z'))).toBe('2 d ago');
    // a clock slightly behind the server's must not show negative ages
    expect(formatAge('2026-01-01T00:00:05Z', Date.parse('2026-01-01T00:00:00Z'))).toBe('0 s ago');
    expect(formatBytes(200 * 1024 ** 2)).toBe('200 MiB');
    expect(formatWait(0)).toBe('< 1 s');
    expect(formatWait(75)).toBe('1 min 15 s');
  });
  it('knows the final statuses', () => {
    expect(['completed', 'failed', 'timeout', 'canceled'].every(isFinal)).toBe(true);
    expect(['queued', 'preprocessing', 'reserved', 'processing'].some(isFinal)).toBe(false);
  });
  it('maps API error codes to the field they concern', () => {
    expect(fieldForError('text_missing')).toBe('text');
    expect(fieldForError('text_too_long')).toBe('text');
    expect(fieldForError('video_no_audio')).toBe('video');
    expect(fieldForError('video_format_invalid')).toBe('video');
    expect(fieldForError('upload_too_large')).toBe('video');
    expect(fieldForError('too_many_files')).toBe('video');
    expect(fieldForError('rate_limited')).toBe('form');
    expect(fieldForError('network')).toBe('form');
  });
  it('checks a chosen file by type and size', () => {
    expect(checkVideoFile({ name: 'a.MP4', size: 10 }, ['mp4'], 100)).toBeNull();
    expect(checkVideoFile({ name: 'a.gif', size: 10 }, ['mp4'], 100)).toMatch(/Unsupported format \.gif/);
    expect(checkVideoFile({ name: 'noext', size: 10 }, ['mp4'], 100)).toMatch(/Unsupported/);
    expect(checkVideoFile({ name: 'a.mp4', size: 1000 }, ['mp4'], 100)).toMatch(/limit/);
  });
});

describe('formatEta', () => {
  it('reads the estimate with its range; nothing without one', () => {
    expect(formatEta({ eta_seconds: 80, eta_low: 50, eta_high: 125 })).toBe('about 1 min 20 s (50.0 s – 2 min 5 s)');
    expect(formatEta({ eta_seconds: 0.4, eta_low: 0.4, eta_high: 0.4 })).toBe('about < 1 s');
    expect(formatEta({ eta_seconds: null })).toBeNull();
    expect(formatEta({})).toBeNull();
  });
});
