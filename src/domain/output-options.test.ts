import { describe, expect, it } from 'vitest';
import { isPlainOutput, parseOutputFields } from './output-options.js';
import { applyStyleFields, BASE_CAPTION_STYLE, buildPresets, vttCueSettings } from './caption-style.js';

describe('parseOutputFields', () => {
  it('no field: no options (today\'s output, no extra pass)', () => {
    expect(parseOutputFields({})).toEqual({ value: null, problems: [] });
    expect(parseOutputFields({ aspect: '', format: null })).toEqual({ value: null, problems: [] });
  });

  it('form and CSV strings as JSON values give the same options', () => {
    const form = parseOutputFields({ aspect: '9:16', resolution: '1080x1920', background: '#00FF00', watermark: `img_${'a'.repeat(32)}`, watermark_position: 'top-left', watermark_scale: '0.2', watermark_opacity: '0.5', format: 'WEBM' });
    const json = parseOutputFields({ aspect: '9:16', resolution: '1080x1920', background: '#00ff00', watermark: `img_${'a'.repeat(32)}`, watermark_position: 'top-left', watermark_scale: 0.2, watermark_opacity: 0.5, format: 'webm' });
    expect(form).toEqual(json);
    expect(form.value).toMatchObject({ aspect: '9:16', resolution: { width: 1080, height: 1920 }, background: '#00ff00', format: 'webm', fit: 'auto', watermark: { position: 'top-left', scale: 0.2, opacity: 0.5 } });
    expect(parseOutputFields({ resolution: '720p' }).value?.resolution).toEqual({ height: 720 });
  });

  it('lists every bad field', () => {
    const r = parseOutputFields({ aspect: '3:2', resolution: '1080x1080', format: 'avi', background: 'green', watermark_scale: '2' });
    expect(r.value).toBeNull();
    expect(r.problems.map((p) => p.field).sort()).toEqual(['aspect', 'background', 'format', 'watermark_scale']);
    expect(parseOutputFields({ aspect: '9:16', resolution: '1920x1080' }).problems[0]).toMatchObject({ field: 'resolution' });
    expect(parseOutputFields({ resolution: '99999' }).problems[0]).toMatchObject({ field: 'resolution' });
  });

  it('format mp4 alone changes nothing', () => {
    expect(isPlainOutput(parseOutputFields({ format: 'mp4' }).value)).toBe(true);
    expect(isPlainOutput(parseOutputFields({ format: 'webm' }).value)).toBe(false);
  });
});

describe('caption styles', () => {
  it('built-in presets over the configured base; config presets may extend one', () => {
    const { presets, problems } = buildPresets(BASE_CAPTION_STYLE, { brand: { base: 'bold-box', color: '#ffcc00', uppercase: true, maxLines: 1 } });
    expect(problems).toEqual([]);
    expect(Object.keys(presets)).toEqual(expect.arrayContaining(['default', 'bold-box', 'zh-default', 'brand']));
    expect(presets.brand).toMatchObject({ name: 'brand', box: true, bold: true, color: '#ffcc00', uppercase: true, maxLines: 1 });
    expect(presets['zh-default'].font).toBe('Noto Sans CJK SC');
  });

  it('bad keys and values are named', () => {
    const r = applyStyleFields(BASE_CAPTION_STYLE, { colour: 'red', size: 5, position: 'left', font: 'Evil,Font' }, null);
    expect(r.style).toBeNull();
    expect(r.problems).toHaveLength(4);
    expect(buildPresets(BASE_CAPTION_STYLE, { 'Bad Name': {} }).problems[0]).toMatch(/not a preset name/);
    expect(buildPresets(BASE_CAPTION_STYLE, { x: { base: 'nope' } }).problems[0]).toMatch(/names no preset/);
  });

  it('WebVTT cue settings say where the caption sits', () => {
    expect(vttCueSettings(null)).toBe('');
    expect(vttCueSettings({ position: 'top' })).toBe(' line:5%,start position:50% align:center');
    expect(vttCueSettings({ position: 'bottom' })).toBe(' line:95%,end position:50% align:center');
  });
});
