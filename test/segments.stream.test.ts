/**
 * Watch a long script while it renders (docs/segments.md): the HLS playlist on protocol-exact
 * fake HeyGem containers whose parts come back off their speech (+1…+5, −1…−2 frames). The later
 * parts are held back in the containers, so the playlist is looked at half rendered; then the
 * finished playlist is read by ffprobe over HTTP as one stream of the task's length.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { newTaskId } from '../src/domain/ids.js';
import type { Task } from '../src/domain/task.js';
import { startGatewayOnFarm } from './helpers/farm.js';
import { FAST_HEYGEM } from './helpers/gateway.js';
import { waitFinalInStore, waitFor, type TestGateway } from './helpers/gateway.js';

const run = promisify(execFile);
const FPS = 25;
/** A held render makes no progress: no stall or render timeout may end it while the test looks. */
const HELD = { ...FAST_HEYGEM, stallTimeoutMs: 600_000, renderTimeoutMs: 600_000 };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

const english = Array.from({ length: 8 }, (_, i) => `Sentence ${i + 1} of the lesson explains one idea, and then it stops.`).join(' ');
const chinese = Array.from({ length: 8 }, (_, i) => `第${i + 1}课：这款手机售价2999元，比去年便宜了20%。`).join('');

async function submit(gw: TestGateway['gw'], text: string): Promise<Task> {
  const task = await gw.segments.create({ id: newTaskId(), text, normalizedText: gw.normalize(text), createdAt: gw.clock.now() });
  return task;
}

const get = (url: string) => fetch(url).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), text: await r.text() }));

/** ffprobe over HTTP: frames and lengths of the playlist read as one stream. */
async function probe(url: string): Promise<{ frames: number; audioPackets: number; duration: number; videoStreams: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-count_packets', '-show_entries', 'stream=codec_type,nb_read_packets:format=duration', '-of', 'json', url]);
  const j = JSON.parse(stdout) as { streams: Array<{ codec_type: string; nb_read_packets: string }>; format: { duration: string } };
  const v = j.streams.filter((s) => s.codec_type === 'video');
  return { frames: Number(v[0]?.nb_read_packets), audioPackets: Number(j.streams.find((s) => s.codec_type === 'audio')?.nb_read_packets), duration: Number(j.format.duration), videoStreams: v.length };
}

describe('HLS stream of a long script', () => {
  for (const [lang, text] of [['English', english], ['Chinese', chinese]] as const) {
    it(`${lang}: grows in order while parts are held back, then ffprobe reads the finished playlist as one stream of the task's length`, async () => {
      const { farm, t } = await startGatewayOnFarm(cleanups, {
        gpus: 2,
        ttsMs: 30,
        dirPrefix: 'hg-stream-',
        farm: { renderMs: 100, video: { lengthErrorFrames: [-2, -1, 1, 2, 3, 4, 5] } },
        gateway: { segments: { targetSeconds: 6, backupRenders: 0 }, heygem: HELD },
      });
      const gw = t.gw;
      const parent = await submit(gw, text);
      const kids0 = await gw.store.listSegments(parent.id);
      expect(kids0.length).toBeGreaterThanOrEqual(4);
      // part 0 renders; every later part waits in its container (which GPU pipelines which part
      // is up to the claims, so holding part 1 alone could hold part 2 behind it; the order rule
      // itself, a part listed only after every earlier one, is tested in hls-playlist.test.ts)
      let held = new Set(kids0.filter((k) => k.segmentIndex !== 0).map((k) => k.id));
      for (const s of farm.slots) s.video.setOptions({ hold: (code) => held.has(code.split('-')[0]) });
      gw.lifecycle.accepted(parent);
      gw.scheduler.notify();

      const playlist = `${t.url}/api/tasks/${parent.id}/stream.m3u8?access_token=tok%2Fen`;
      await waitFor(async () => (await gw.store.listSegments(parent.id))[0].state === 'completed', 120_000);
      const half = await get(playlist);
      expect(half.status).toBe(200);
      expect(half.type).toContain('application/vnd.apple.mpegurl');
      expect(half.text).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
      expect(half.text).not.toContain('#EXT-X-ENDLIST');
      expect(half.text.match(/#EXTINF/g)).toHaveLength(1);
      expect(half.text).toContain('stream/0.ts?access_token=tok%2Fen');
      // the listed segment plays: MPEG-TS, video and sound; an unlisted one is 404
      const seg = await fetch(`${t.url}/api/tasks/${parent.id}/stream/0.ts`);
      expect(seg.status).toBe(200);
      expect(seg.headers.get('content-type')).toBe('video/mp2t');
      expect((await get(`${t.url}/api/tasks/${parent.id}/stream/1.ts`)).status).toBe(404);
      const kid0 = (await gw.store.listSegments(parent.id))[0];
      expect(half.text).toContain(`#EXTINF:${(Math.round(kid0.audioDurationSec! * FPS) / FPS).toFixed(6)},`);

      held = new Set();
      const done = await waitFinalInStore(gw, parent.id, 240_000);
      expect(done.state, done.errorMessage ?? '').toBe('completed');
      const kids = await gw.store.listSegments(parent.id);
      // the parts go once stitched (after the task completed); their segments stay beside the result
      await waitFor(async () => kids.every((k) => !existsSync(k.outputPath!)), 60_000);
      expect(kids.every((k) => existsSync(gw.segments.stream.segmentPath(k.id)))).toBe(true);
      const final = await get(playlist);
      expect(final.text).toMatch(/#EXT-X-ENDLIST\n$/);
      expect(final.text.match(/#EXTINF/g)).toHaveLength(kids.length);
      const extinf = [...final.text.matchAll(/#EXTINF:([\d.]+),/g)].map((m) => Number(m[1]));
      expect(extinf).toEqual(kids.map((k) => Math.round(Math.round(k.audioDurationSec! * FPS) / FPS * 1e6) / 1e6));

      const speechSec = kids.reduce((a, k) => a + k.audioDurationSec!, 0);
      const p = await probe(playlist);
      expect(p.videoStreams).toBe(1);
      expect(Math.abs(p.frames - Math.round(speechSec * FPS))).toBeLessThanOrEqual(1);
      expect(Math.abs(p.duration - speechSec)).toBeLessThanOrEqual(1 / FPS + 1e-3);
      expect(p.audioPackets).toBeGreaterThan(0);
    }, 300_000);
  }

  it('a one-part task: 409 stream_not_ready while it renders, one segment once completed', async () => {
    const { farm, t } = await startGatewayOnFarm(cleanups, { gpus: 1, ttsMs: 30, dirPrefix: 'hg-stream-one-', farm: { renderMs: 100 }, gateway: { heygem: HELD } });
    const gw = t.gw;
    let hold = true;
    for (const s of farm.slots) s.video.setOptions({ hold: () => hold });
    const task = await submit(gw, '这款手机售价2999元。');
    expect(task.segmentCount).toBeNull();
    gw.lifecycle.accepted(task);
    gw.scheduler.notify();
    const url = `${t.url}/api/tasks/${task.id}/stream.m3u8`;
    await waitFor(async () => (await gw.store.get(task.id))?.state === 'rendering', 60_000);
    const early = await get(url);
    expect(early.status).toBe(409);
    expect(JSON.parse(early.text)).toMatchObject({ code: 'stream_not_ready' });
    hold = false;
    const done = await waitFinalInStore(gw, task.id, 120_000);
    expect(done.state).toBe('completed');
    const p = await probe(url);
    expect(Math.abs(p.frames - Math.round(done.audioDurationSec! * FPS))).toBeLessThanOrEqual(1);
    const status = (await (await fetch(`${t.url}/api/status/${task.id}`)).json()) as Record<string, unknown>;
    expect(status.stream_url).toBe(`/api/tasks/${task.id}/stream.m3u8`);
  }, 200_000);
});
