import { describe, expect, it } from 'vitest';
import { buildPlaylist, listedParts, partOffset, targetDuration } from './hls-playlist.js';

const part = (seconds: number, done: boolean) => ({ seconds, done });
const uri = (k: number) => `stream/${k}.ts?access_token=k`;

describe('HLS playlist of a long script', () => {
  it('lists parts only while every earlier part is done (in order)', () => {
    expect(listedParts([part(4, true), part(5, false), part(3, true)])).toBe(1);
    expect(listedParts([part(4, false), part(5, true)])).toBe(0);
    expect(listedParts([part(4, true), part(5, true)])).toBe(2);
    expect(listedParts([])).toBe(0);
  });

  it('is an EVENT playlist whose EXTINF are the fitted part lengths, without an end while it renders', () => {
    const text = buildPlaylist({ parts: [part(4.56, true), part(5.2, true), part(3.04, false)], ended: false, uri });
    expect(text).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        '#EXT-X-PLAYLIST-TYPE:EVENT',
        '#EXT-X-TARGETDURATION:6',
        '#EXT-X-MEDIA-SEQUENCE:0',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXTINF:4.560000,',
        'stream/0.ts?access_token=k',
        '#EXTINF:5.200000,',
        'stream/1.ts?access_token=k',
        '',
      ].join('\n'),
    );
  });

  it('ends with #EXT-X-ENDLIST once the task is completed, never with a part missing', () => {
    const parts = [part(4, true), part(5, true)];
    expect(buildPlaylist({ parts, ended: true, uri })).toMatch(/#EXT-X-ENDLIST\n$/);
    expect(buildPlaylist({ parts: [part(4, true), part(5, false)], ended: true, uri })).not.toContain('ENDLIST');
  });

  it('an empty playlist while nothing is rendered (players wait and reload it)', () => {
    const text = buildPlaylist({ parts: [part(0, false), part(0, false)], ended: false, uri });
    expect(text).not.toContain('#EXTINF');
    expect(text).toContain('#EXT-X-TARGETDURATION:1');
  });

  it('target duration covers every known part (whole seconds, a frame-exact length not rounded up)', () => {
    expect(targetDuration([part(19.96, false), part(4, true)])).toBe(20);
    expect(targetDuration([part(20, true)])).toBe(20);
    expect(targetDuration([part(20.04, true)])).toBe(21);
  });

  it('a part starts where the earlier parts end', () => {
    const parts = [part(4.56, true), part(5.2, true), part(3.04, true)];
    expect(partOffset(parts, 0)).toBe(0);
    expect(partOffset(parts, 2)).toBeCloseTo(9.76, 9);
  });
});
