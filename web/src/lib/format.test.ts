import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n/setup';
import { checkVideoFile, checkVideoLength, fieldForError, formatAge, formatBytes, formatDateTime, formatEta, formatNumber, formatPercent, formatSeconds, formatWait, isFinal } from './format';

const en = createI18n('en').t;
const zh = createI18n('zh-CN').t;

describe('format', () => {
  it('formats durations, ages and sizes in English', () => {
    expect(formatSeconds(0.25, 'en')).toBe('250 ms');
    expect(formatSeconds(12.34, 'en')).toBe('12.3 sec');
    expect(formatSeconds(125, 'en')).toBe('2 min 5 sec');
    expect(formatSeconds(119.6, 'en')).toBe('2 min'); // rounds the whole, never "1 min 60 sec"
    expect(formatSeconds(600, 'zh-CN')).toBe('10分钟');
    expect(formatSeconds(null, 'en')).toBe('—');
    expect(formatSeconds(Number.NaN, 'en')).toBe('—');
    expect(formatAge('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:05:00Z'), 'en')).toBe('5 min. ago');
    expect(formatAge('2026-01-01T00:00:00Z', Date.parse('2026-01-03T00:00:00Z'), 'en')).toBe('2 days ago');
    // a clock slightly behind the server's must not show negative ages
    expect(formatAge('2026-01-01T00:00:05Z', Date.parse('2026-01-01T00:00:00Z'), 'en')).toBe('0 sec. ago');
    expect(formatBytes(200 * 1024 ** 2, 'en')).toBe('200 MiB');
    expect(formatBytes(1.5 * 1024 ** 3, 'en')).toBe('1.5 GiB');
    expect(formatWait(0, 'en')).toBe('< 1 sec');
    expect(formatWait(75, 'en')).toBe('1 min 15 sec');
    expect(formatNumber(12345.5, 'en')).toBe('12,345.5');
    expect(formatPercent(0.123, 'en')).toBe('12.3%');
  });
  it('formats the same values in Chinese', () => {
    expect(formatSeconds(0.25, 'zh-CN')).toBe('250毫秒');
    expect(formatSeconds(12.34, 'zh-CN')).toBe('12.3秒');
    expect(formatSeconds(125, 'zh-CN')).toBe('2分钟5秒');
    expect(formatAge('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:05:00Z'), 'zh-CN')).toBe('5分钟前');
    expect(formatAge('2026-01-01T00:00:00Z', Date.parse('2026-01-03T00:00:00Z'), 'zh-CN')).toBe('2天前');
    expect(formatWait(0, 'zh-CN')).toBe('< 1秒');
    expect(formatDateTime('2026-01-02T15:04:05Z', 'zh-CN')).toMatch(/^2026年1月\d日 \d{2}:04:05$/);
    expect(formatDateTime('2026-01-02T15:04:05Z', 'en')).toMatch(/^Jan \d, 2026, \d{1,2}:04:05 [AP]M$/);
    expect(formatDateTime(null, 'en')).toBe('—');
  });
  it('knows the final statuses', () => {
    expect(['completed', 'failed', 'timeout', 'canceled'].every(isFinal)).toBe(true);
    expect(['queued', 'preprocessing', 'reserved', 'processing'].some(isFinal)).toBe(false);
  });
  it('maps API error codes to the field they concern', () => {
    expect(fieldForError('text_missing')).toBe('text');
    expect(fieldForError('text_too_long')).toBe('text');
    expect(fieldForError('unsupported_script')).toBe('text');
    expect(fieldForError('video_no_audio')).toBe('video');
    expect(fieldForError('video_format_invalid')).toBe('video');
    expect(fieldForError('upload_too_large')).toBe('video');
    expect(fieldForError('too_many_files')).toBe('video');
    expect(fieldForError('rate_limited')).toBe('form');
    expect(fieldForError('network')).toBe('form');
  });
  it('checks a chosen file by type and size, saying why in the UI language', () => {
    expect(checkVideoFile({ name: 'a.MP4', size: 10 }, ['mp4'], 100, en, 'en')).toBeNull();
    expect(checkVideoFile({ name: 'a.gif', size: 10 }, ['mp4'], 100, en, 'en')).toMatch(/Unsupported format \.gif/);
    expect(checkVideoFile({ name: 'noext', size: 10 }, ['mp4'], 100, en, 'en')).toMatch(/Unsupported/);
    expect(checkVideoFile({ name: 'a.mp4', size: 1000 }, ['mp4'], 100, en, 'en')).toMatch(/limit/);
    expect(checkVideoFile({ name: 'a.mp4', size: 0 }, ['mp4'], 100, en, 'en')).toBe('The file is empty (0 bytes); choose another one.');
    expect(checkVideoFile({ name: 'a.mp4', size: 0 }, ['mp4'], 100, zh, 'zh-CN')).toBe('文件为空（0 字节），请选择其他文件。');
    expect(checkVideoFile({ name: 'a.gif', size: 10 }, ['mp4', 'mov'], 100, zh, 'zh-CN')).toBe('不支持 .gif 格式；请使用 mp4, mov');
    expect(checkVideoFile({ name: 'a.mp4', size: 2048 }, ['mp4'], 1024, zh, 'zh-CN')).toBe('文件大小为 2 KiB，上限为 1 KiB');
  });
  it('checks a face video’s length against the limit; an unknown length or limit passes (the server checks)', () => {
    expect(checkVideoLength(5, 10, en, 'en')).toBeNull();
    expect(checkVideoLength(10, 10, en, 'en')).toBeNull();
    expect(checkVideoLength(null, 10, en, 'en')).toBeNull();
    expect(checkVideoLength(12, undefined, en, 'en')).toBeNull();
    expect(checkVideoLength(12, 10, en, 'en')).toMatch(/^The video is 12\.0 sec long; the limit is 10\.0 sec\./);
    expect(checkVideoLength(12, 10, zh, 'zh-CN')).toMatch(/^视频时长为 .+，上限为 .+。/);
  });
});

describe('formatEta', () => {
  it('reads the estimate with its range; nothing without one', () => {
    expect(formatEta({ eta_seconds: 80, eta_low: 50, eta_high: 125 }, en, 'en')).toBe('about 1 min 20 sec (50.0 sec – 2 min 5 sec)');
    expect(formatEta({ eta_seconds: 0.4, eta_low: 0.4, eta_high: 0.4 }, en, 'en')).toBe('about < 1 sec');
    expect(formatEta({ eta_seconds: null }, en, 'en')).toBeNull();
    expect(formatEta({}, en, 'en')).toBeNull();
  });
  it('in Chinese', () => {
    expect(formatEta({ eta_seconds: 80, eta_low: 50, eta_high: 125 }, zh, 'zh-CN')).toBe('约 1分钟20秒（50.0秒 – 2分钟5秒）');
  });
});
