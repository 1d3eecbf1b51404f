import { describe, expect, it } from 'vitest';
import { streamLine } from './stream-line.js';
import { streamLines } from './tasks.command.js';

const row = (task_id: string, status: string, stream_url: string | null) => ({ task_id, status, phase: status, progress: 0, gpu_id: null, created_time: '2026-01-02T03:04:05.000Z', text: '这款手机售价2999元。', error_code: null, stream_url });

describe('the stream line of a long script', () => {
  it('is the playlist URL on the gateway; with a key it says where the key goes, without printing it', () => {
    expect(streamLine({ url: 'http://127.0.0.1:5003/' }, '/api/tasks/abc/stream.m3u8')).toBe('stream http://127.0.0.1:5003/api/tasks/abc/stream.m3u8  (HLS: watch while it renders)');
    const keyed = streamLine({ url: 'http://gw:5003', apiKey: 'secret-key' }, '/api/tasks/abc/stream.m3u8', 'abc');
    expect(keyed).toBe('stream abc http://gw:5003/api/tasks/abc/stream.m3u8?access_token=<key>  (HLS: watch while it renders)');
    expect(keyed).not.toContain('secret-key');
  });

  it('`tasks` prints one for each long script still rendering', () => {
    const lines = streamLines({ url: 'http://gw:5003' }, [row('a', 'processing', '/api/tasks/a/stream.m3u8'), row('b', 'completed', '/api/tasks/b/stream.m3u8'), row('c', 'processing', null)]);
    expect(lines).toEqual(['stream a http://gw:5003/api/tasks/a/stream.m3u8  (HLS: watch while it renders)']);
  });
});
