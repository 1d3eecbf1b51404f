import { describe, expect, it } from 'vitest';
import type { OutputOptions } from '../domain/output-options.js';
import { outputFilterGraph, outputPassArgs, planFrame } from './output-args.js';

const opts = (o: Partial<OutputOptions>): OutputOptions => ({ aspect: null, resolution: null, fit: 'auto', background: '#000000', watermark: null, format: 'mp4', face: null, ...o });
// a face right of centre in a 2400×1920 frame, head and shoulders well inside it
const face = { x: 0.6, y: 0.2, w: 0.15, h: 0.2 };

describe('planFrame', () => {
  it('9:16 from a wide source: a window cut around the face, centred on it', () => {
    const p = planFrame({ width: 2400, height: 1920 }, opts({ aspect: '9:16', resolution: { width: 1080, height: 1920 }, face }));
    expect(p.kind).toBe('crop');
    expect(p.out).toEqual({ width: 1080, height: 1920 });
    expect(p.crop).toEqual({ x: Math.round(0.675 * 2400 - 540), y: 0, w: 1080, h: 1920 });
    expect(p.clamped).toBe(false);
  });

  it('the window stays inside the frame when the face is near an edge', () => {
    const p = planFrame({ width: 2400, height: 1920 }, opts({ aspect: '9:16', face: { x: 0.88, y: 0.2, w: 0.1, h: 0.15 } }));
    expect(p.kind).toBe('crop');
    expect(p.crop!.x + p.crop!.w).toBe(2400);
  });

  it('pads when the head and shoulders would not fit the window (or without a face box)', () => {
    // 16:9 of a portrait video: a window 608 lines high cannot hold a face 40 % of 1920 lines plus shoulders
    const p = planFrame({ width: 1080, height: 1920 }, opts({ aspect: '16:9', face: { x: 0.3, y: 0.2, w: 0.4, h: 0.4 } }));
    expect(p.kind).toBe('pad');
    expect(p.out).toEqual({ width: 3414, height: 1920 });
    expect(p.content).toEqual({ x: 1166, y: 0, w: 1080, h: 1920 });
    expect(planFrame({ width: 1080, height: 1920 }, opts({ aspect: '16:9' })).kind).toBe('pad');
    expect(planFrame({ width: 1080, height: 1920 }, opts({ aspect: '16:9', fit: 'crop' })).kind).toBe('crop');
  });

  it('never scales up: a size above the source is brought down and says so', () => {
    const p = planFrame({ width: 1280, height: 720 }, opts({ aspect: '9:16', resolution: { height: 1920 }, fit: 'crop' }));
    expect(p.out).toEqual({ width: 404, height: 720 });
    expect(p.clamped).toBe(true);
    const q = planFrame({ width: 1920, height: 1080 }, opts({ resolution: { height: 720 } }));
    expect(q).toMatchObject({ kind: 'scale', out: { width: 1280, height: 720 }, clamped: false });
  });
});

describe('outputPassArgs', () => {
  const plan = planFrame({ width: 1080, height: 1920 }, opts({ aspect: '16:9', resolution: { height: 1080 }, fit: 'pad' }));

  it('pad with a colour, then the watermark, then the captions, in one filter graph', () => {
    const { graph, imageInputs } = outputFilterGraph({
      plan,
      options: { background: '#00ff00', format: 'mp4', watermark: { image: 'img_x', position: 'top-left', scale: 0.2, opacity: 0.5 } },
      images: { watermark: '/d/wm.img' },
      subtitles: "subtitles=filename='/d/c.srt'",
    });
    expect(graph).toBe(
      '[0:v]scale=608:1080,setsar=1,pad=1920:1080:656:0:color=0x00ff00[f];' +
        '[1:v]scale=384:-2,format=rgba,colorchannelmixer=aa=0.500[wm];[f][wm]overlay=32:32:format=auto[w];' +
        "[w]subtitles=filename='/d/c.srt',format=yuv420p[v]",
    );
    expect(imageInputs).toEqual([['-f', 'image2', '-pattern_type', 'none', '-protocol_whitelist', 'file', '-i', '/d/wm.img']]);
  });

  it('a background picture is repeated at the render\'s rate under the picture', () => {
    const { graph, imageInputs } = outputFilterGraph({ plan, options: { background: 'img_b', format: 'mp4', watermark: null }, images: { background: '/d/bg.img' }, fps: 25 });
    expect(imageInputs[0].slice(0, 4)).toEqual(['-loop', '1', '-framerate', '25']);
    expect(graph).toContain('[bg][fg]overlay=656:0:eof_action=endall[f]');
  });

  it('webm is VP9 + Opus; mp4 is H.264 with the AAC sound copied', () => {
    const webm = outputPassArgs({ video: '/in.mp4', out: '/out.webm', plan, options: { background: '#000000', format: 'webm', watermark: null }, images: {} });
    expect(webm).toEqual(expect.arrayContaining(['libvpx-vp9', 'libopus', 'webm']));
    expect(webm.at(-1)).toBe('/out.webm');
    const mp4 = outputPassArgs({ video: '/in.mp4', out: '/out.mp4', plan, options: { background: '#000000', format: 'mp4', watermark: null }, images: {} });
    expect(mp4.join(' ')).toContain('-c:v libx264 -preset veryfast -crf 20 -c:a copy -movflags +faststart -f mp4');
    expect(mp4).toContain('-format_whitelist');
  });
});
