/**
 * Inputs prepared as HeyGem's own client prepares them (docs/protocol.md), on protocol-exact
 * fakes: a per-task face the container cannot read (HEVC, 10-bit) is transcoded to H.264 yuv420p
 * once per content hash; every reference voice — cut from the upload, or the slot's default —
 * goes through the TTS container's /v1/preprocess_and_tran once, and synthesis uses the returned
 * file and its transcript (one text: never the `|||`-joined parts with a single reference).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { newTaskId } from '../src/domain/ids.js';
import type { HeygemTtsEngine } from '../src/engines/heygem/tts.adapter.js';
import type { HeygemVideoEngine } from '../src/engines/heygem/video.adapter.js';
import { startGatewayOnFarm } from './helpers/farm.js';
import { waitFinalInStore, type TestGateway } from './helpers/gateway.js';

const run = promisify(execFile);

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

/** 2 s of HEVC 10-bit video with a voice-like tone: what a phone or a screen recorder hands in. */
async function hevc10BitFace(): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'hg-hevc-')), 'face.mp4');
  await run('ffmpeg', [
    '-hide_banner', '-v', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=25:d=2', '-f', 'lavfi', '-i', 'sine=f=180:r=44100:d=2',
    '-c:v', 'libx265', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p10le', '-x265-params', 'log-level=error', '-tag:v', 'hvc1',
    '-c:a', 'aac', '-shortest', out,
  ]);
  return out;
}

async function submit(gw: TestGateway['gw'], text: string, videoPath?: string): Promise<string> {
  const task = await gw.segments.create({ id: newTaskId(), text, normalizedText: gw.normalize(text), videoPath, createdAt: gw.clock.now() });
  gw.lifecycle.accepted(task);
  gw.scheduler.notify();
  return task.id;
}

describe('inputs prepared as HeyGem’s client prepares them', () => {
  it('a per-task HEVC 10-bit face renders (transcoded once); each voice is preprocessed once and its transcript reaches /v1/invoke', async () => {
    const face = await hevc10BitFace();
    const probe = JSON.parse((await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,pix_fmt', '-of', 'json', face])).stdout) as { streams: Array<{ codec_name: string; pix_fmt: string }> };
    expect(probe.streams[0]).toEqual({ codec_name: 'hevc', pix_fmt: 'yuv420p10le' });
    const { farm, t } = await startGatewayOnFarm(cleanups, { gpus: 1, ttsMs: 20, dirPrefix: 'hg-inputs-', farm: { renderMs: 100, tts: { transcript: ['The quick brown fox.', 'It jumps.'] } } });
    const gw = t.gw;
    const [slot] = farm.slots;

    // two tasks with the same upload, one after the other, then one with the slot's default voice
    const first = await waitFinalInStore(gw, await submit(gw, 'The first line to say.', face), 120_000);
    expect(first.state, first.errorMessage ?? '').toBe('completed');
    const second = await waitFinalInStore(gw, await submit(gw, 'The second line to say.', face), 120_000);
    expect(second.state, second.errorMessage ?? '').toBe('completed');

    // the face reached the container as H.264 yuv420p, transcoded once for both tasks
    const video = gw.scheduler.runners[0].engines.video as HeygemVideoEngine;
    expect(video.transcodes).toBe(1);
    const inputs = slot.video.stats().inputs;
    expect(inputs).toHaveLength(2);
    expect(inputs[0].video_url).toMatch(/^face-[0-9a-f]{64}\.mp4$/);
    expect(inputs[1].video_url).toBe(inputs[0].video_url);
    const sent = JSON.parse((await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,pix_fmt', '-of', 'json', join(slot.videoDataDir, 'temp', inputs[0].video_url)])).stdout) as { streams: unknown[] };
    expect(sent.streams[0]).toEqual({ codec_name: 'h264', pix_fmt: 'yuv420p' });
    const out = JSON.parse((await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'json', first.outputPath!])).stdout) as { streams: Array<{ codec_type: string }> };
    expect(out.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);

    // the upload's voice: preprocessed once (exactly as the route is spoken), used by both syntheses
    const tts = gw.scheduler.runners[0].engines.speech as HeygemTtsEngine;
    const pre = slot.tts.stats().preprocesses as Array<Record<string, unknown>>;
    expect(pre).toHaveLength(1);
    expect(pre[0]).toEqual({ format: 'wav', reference_audio: expect.stringMatching(/^reference\/pre-[0-9a-f]{16}\.wav$/), lang: 'en' });
    expect(tts.prepared?.calls).toBe(1);
    const invokes = slot.tts.stats().requests as Array<Record<string, unknown>>;
    expect(invokes).toHaveLength(2);
    for (const body of invokes) {
      expect(body.reference_audio).toMatch(/^\/code\/data\/reference\/prep-[0-9a-f]{64}\.wav$/);
      // one reference file, one transcript: the parts joined by a space, no `|||`
      expect(body.reference_text).toBe('The quick brown fox. It jumps.');
    }
    expect(invokes[1].reference_audio).toBe(invokes[0].reference_audio);

    // the slot's default voice goes through the same step (once more: another voice)
    const third = await waitFinalInStore(gw, await submit(gw, 'A line in the default voice.'), 120_000);
    expect(third.state, third.errorMessage ?? '').toBe('completed');
    expect(slot.tts.stats().preprocesses).toHaveLength(2);
    const last = slot.tts.stats().lastRequest as Record<string, unknown>;
    expect(last.reference_text).toBe('The quick brown fox. It jumps.');
    expect(last.reference_audio).not.toBe(invokes[0].reference_audio);
  }, 300_000);

  it('without the ASR container the voice is sent raw with no transcript, and the task still completes', async () => {
    const { farm, t } = await startGatewayOnFarm(cleanups, { gpus: 1, ttsMs: 20, dirPrefix: 'hg-inputs-noasr-', farm: { renderMs: 100, tts: { asr: false } } });
    const done = await waitFinalInStore(t.gw, await submit(t.gw, 'A line with no ASR around.'), 120_000);
    expect(done.state, done.errorMessage ?? '').toBe('completed');
    const [slot] = farm.slots;
    expect(slot.tts.stats().preprocesses).toHaveLength(1);
    const body = slot.tts.stats().lastRequest as Record<string, unknown>;
    expect(body.reference_text).toBe('');
    expect(body.reference_audio).toMatch(new RegExp(`^/code/data/reference/${done.id}-[0-9a-f]{8}\\.wav$`));
  }, 120_000);
});
