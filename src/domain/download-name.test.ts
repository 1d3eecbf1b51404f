import { describe, expect, it } from 'vitest';
import { contentDisposition, downloadName } from './download-name.js';

const DAY = Date.UTC(2026, 11, 7, 3, 0, 0);

describe('downloadName', () => {
  it('takes the first words, lower-cased, with the date', () => {
    expect(downloadName('This phone costs $299, 20% less than last year!', DAY)).toEqual({
      unicode: 'this-phone-costs-299-20-less-2026-12-07.mp4',
      ascii: 'this-phone-costs-299-20-less-2026-12-07.mp4',
    });
  });

  it('keeps Chinese in the UTF-8 name and falls back to "video" in ASCII', () => {
    const n = downloadName('这款手机售价2999元，比去年便宜了20%。', DAY);
    expect(n.unicode).toBe('这款手机售价2999元-比去年便宜了20-2026-12-07.mp4');
    expect(n.ascii).toBe('2999-20-2026-12-07.mp4');
    expect(downloadName('你好', DAY).ascii).toBe('video-2026-12-07.mp4');
  });

  it('drops accents for ASCII and never lets quotes, slashes or dots in', () => {
    expect(downloadName('Café "../../etc/passwd"\r\nX: y', DAY)).toEqual({ unicode: 'café-etc-passwd-x-y-2026-12-07.mp4', ascii: 'cafe-etc-passwd-x-y-2026-12-07.mp4' });
    expect(downloadName('   ', DAY).unicode).toBe('video-2026-12-07.mp4');
  });

  it('bounds the title length', () => {
    const n = downloadName('a'.repeat(500), DAY);
    expect(n.unicode).toBe(`${'a'.repeat(40)}-2026-12-07.mp4`);
    expect(downloadName('字'.repeat(100), DAY).unicode).toBe(`${'字'.repeat(40)}-2026-12-07.mp4`);
  });
});

describe('contentDisposition', () => {
  it('sends an ASCII filename and the UTF-8 filename*', () => {
    expect(contentDisposition('你好 world', DAY)).toBe(`attachment; filename="world-2026-12-07.mp4"; filename*=UTF-8''${encodeURIComponent('你好-world-2026-12-07.mp4')}`);
  });
});
