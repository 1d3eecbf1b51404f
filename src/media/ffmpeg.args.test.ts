import { describe, expect, it } from 'vitest';
import { SAFE_INPUT, defaultFaceArgs, displaySize, extractAudioArgs, muxLoopArgs, parseProbeJson, parseVideoPackets, probeArgs, sampleFramesArgs } from './ffmpeg.args.js';

describe('ffmpeg argument builders', () => {
  it('loops the face to the speech with -t, never -shortest', () => {
    const a = muxLoopArgs('/in/face.mp4', '/in/speech.wav', '/out/x.mp4', { durationSec: 8.4 });
    expect(a.slice(a.indexOf('-stream_loop'), a.indexOf('-stream_loop') + 4)).toEqual(['-stream_loop', '-1', '-i', '/in/face.mp4']);
    expect(a[a.indexOf('-t') + 1]).toBe('8.400');
    expect(a).not.toContain('-shortest');
    expect(a).toEqual(expect.arrayContaining(['-c:v', 'libx264', '-c:a', 'aac', '-movflags', '+faststart', '-pix_fmt', 'yuv420p']));
    expect(a.at(-1)).toBe('/out/x.mp4');
  });
  it('hardens every user input: no playlists, local files only', () => {
    for (const a of [muxLoopArgs('/v', '/a', '/o', { durationSec: 1 }), extractAudioArgs('/v', '/o'), probeArgs('/v')]) {
      expect(a.join(' ')).toContain('-format_whitelist mov,mp4');
      expect(a.join(' ')).toContain('-protocol_whitelist file,pipe');
    }
  });
  it('extracts a bounded mono PCM16 reference voice', () => {
    const a = extractAudioArgs('/u/v.mov', '/w/r.wav', { maxSeconds: 20 });
    expect(a).toEqual(expect.arrayContaining(['-map', '0:a:0', '-ac', '1', '-c:a', 'pcm_s16le', '-t', '20.000']));
  });
  it('probes as JSON and builds the default face from lavfi only', () => {
    expect(probeArgs('/x.mp4')).toEqual(['-v', 'error', ...SAFE_INPUT, '-print_format', 'json', '-show_format', '-show_streams', '/x.mp4']);
    const f = defaultFaceArgs('/a/face.mp4', { seconds: 3 }).join(' ');
    expect(f).toContain('lavfi');
    expect(f).not.toContain('drawtext');
  });
  it('parses ffprobe output, ignoring cover-art "video" streams', () => {
    const p = parseProbeJson(
      JSON.stringify({
        format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '2.000000' },
        streams: [
          { codec_type: 'audio', codec_name: 'aac' },
          { codec_type: 'video', codec_name: 'mjpeg' },
        ],
      }),
    );
    expect(p).toMatchObject({ hasVideo: false, hasAudio: true, durationSec: 2, audioCodec: 'aac' });
  });

  it('reads a video\'s packet times in file order, its rate and its sound length', () => {
    const json = JSON.stringify({
      packets: [{ stream_index: 0, pts_time: '0.000000' }, { stream_index: 1, pts_time: '0.000000' }, { stream_index: 0, pts_time: '0.080000' }, { stream_index: 0, pts_time: '0.040000' }],
      streams: [{ index: 0, codec_type: 'video', r_frame_rate: '25/1' }, { index: 1, codec_type: 'audio', duration: '0.120000' }],
    });
    expect(parseVideoPackets(json)).toEqual({ fps: 25, pts: [0, 0.08, 0.04], audioSec: 0.12 });
    expect(parseVideoPackets(JSON.stringify({ streams: [{ index: 0, codec_type: 'audio' }] }))).toBeNull();
  });
});

describe('face check inputs', () => {
  it('reads frame rate and rotation (display matrix or rotate tag) and swaps the displayed size', () => {
    const side = parseProbeJson(JSON.stringify({ format: { format_name: 'mov,mp4', duration: '2' }, streams: [{ codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, avg_frame_rate: '30000/1001', side_data_list: [{ rotation: -90 }] }] }));
    expect(side).toMatchObject({ fps: 30000 / 1001, rotation: 270 });
    expect(displaySize(side)).toEqual({ width: 1080, height: 1920 });
    const tag = parseProbeJson(JSON.stringify({ format: { duration: '2' }, streams: [{ codec_type: 'video', width: 640, height: 480, r_frame_rate: '25/1', tags: { rotate: '180' } }] }));
    expect(tag).toMatchObject({ fps: 25, rotation: 180 });
    expect(displaySize(tag)).toEqual({ width: 640, height: 480 });
  });

  it('samples each still from its own seeked input in one run, raw RGB on stdout', () => {
    const a = sampleFramesArgs('/in.mp4', [0.5, 1.5], 640, 360);
    expect(a.filter((x) => x === '-i')).toHaveLength(2);
    expect(a.slice(a.indexOf('-ss'), a.indexOf('-ss') + 2)).toEqual(['-ss', '0.500']);
    expect(a.indexOf('-ss')).toBeLessThan(a.indexOf('-i')); // input seeking: no decode of what is skipped
    expect(a.join(' ')).toContain(SAFE_INPUT.join(' '));
    expect(a[a.indexOf('-filter_complex') + 1]).toBe(
      '[0:v:0]trim=end_frame=1,scale=640:360,setsar=1,format=rgb24[f0];[1:v:0]trim=end_frame=1,scale=640:360,setsar=1,format=rgb24[f1];[f0][f1]concat=n=2:v=1:a=0,setpts=N/TB[out]',
    );
    expect(a.slice(-5)).toEqual(['-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
  });
});

describe('sampleFramesArgs scan mode', () => {
  it('one decode from the start, the first frame at or after each time', () => {
    const a = sampleFramesArgs('/in.mp4', [0.5, 1.5], 64, 36, 'scan');
    expect(a.filter((x) => x === '-i')).toHaveLength(1);
    expect(a).not.toContain('-ss');
    expect(a[a.indexOf('-vf') + 1]).toBe('select=isnan(prev_selected_t)*gte(t\\,0.500)+gte(t\\,1.500)*lt(prev_selected_t\\,1.500),scale=64:36,setsar=1,format=rgb24');
    expect(a.slice(a.indexOf('-frames:v'), a.indexOf('-frames:v') + 2)).toEqual(['-frames:v', '2']);
  });
});
