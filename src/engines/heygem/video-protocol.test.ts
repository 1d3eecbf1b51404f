import { describe, expect, it } from 'vitest';
import { readQuery, resultHostPath, submitBody } from './video-protocol.js';

describe('video protocol', () => {
  it('builds the exact submit body', () => {
    expect(JSON.stringify(submitBody('abc', 'abc.wav', 'abc.mp4'))).toBe(
      '{"audio_url":"abc.wav","video_url":"abc.mp4","code":"abc","chaofen":0,"watermark_switch":0,"pn":1}',
    );
  });
  it('decides on status only', () => {
    expect(readQuery({ code: 10000, data: { status: 1, progress: 90, result: '/a-r.mp4' } })).toEqual({ kind: 'running', progress: 90, result: '/a-r.mp4' });
    expect(readQuery({ code: 10000, data: { status: 2, progress: 100, result: '/a-r.mp4' } }).kind).toBe('done');
    expect(readQuery({ code: 10000, data: { status: 3, msg: 'no face' } })).toMatchObject({ kind: 'failed', message: 'no face' });
    expect(readQuery({ code: 10004, msg: 'x' })).toEqual({ kind: 'unknown' });
    expect(readQuery({ code: 9999, msg: 'sys' })).toEqual({ kind: 'error', code: 9999, message: 'sys' });
  });
  it('resolves results relative to temp/ or inside the mount, nothing else', () => {
    expect(resultHostPath('/t1-r.mp4', '/h/gpu0', '/code/data')).toBe('/h/gpu0/temp/t1-r.mp4');
    expect(resultHostPath('/code/data/temp/t1-r.mp4', '/h/gpu0/', '/code/data')).toBe('/h/gpu0/temp/t1-r.mp4');
    expect(resultHostPath('/../../etc/passwd', '/h/gpu0', '/code/data')).toBeNull();
    expect(resultHostPath('/code/data/../x', '/h/gpu0', '/code/data')).toBeNull();
  });
});

describe('renderFailureBlamesInput', () => {
  it('blames the input only when the message says so', async () => {
    const { renderFailureBlamesInput } = await import('./video-protocol.js');
    expect(renderFailureBlamesInput('未检测到人脸')).toBe(true);
    expect(renderFailureBlamesInput('no face detected in the video')).toBe(true);
    expect(renderFailureBlamesInput('audio file does not exist: /code/data/temp/x.wav')).toBe(true);
    expect(renderFailureBlamesInput('CUDA out of memory')).toBe(false);
    expect(renderFailureBlamesInput('任务超时')).toBe(false);
    expect(renderFailureBlamesInput('')).toBe(false);
  });
});
