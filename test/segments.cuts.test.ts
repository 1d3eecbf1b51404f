/**
 * Cut to the speech, not to the container (docs/segments.md), on protocol-exact fake HeyGem
 * containers whose results are not as long as the speech they were given — as a real lip-sync
 * container's are not: each part comes back +1…+5 frames longer or −1…−2 frames shorter (drawn
 * at random, seeded). The face carries its frame index in its pixels, so where every cut falls in
 * the stitched video is read off the picture and compared with where its speech starts.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { newTaskId } from '../src/domain/ids.js';
import type { Task } from '../src/domain/task.js';
import { startGatewayOnFarm } from './helpers/farm.js';
import type { TestGateway } from './helpers/gateway.js';
import { waitFinalInStore } from './helpers/gateway.js';
import { frameIndices, indexedFace } from './helpers/indexed-face.js';

const run = promisify(execFile);
const FPS = 25;
const FACE_SEC = 3;
const LONGER_AND_SHORTER = [-2, -1, 1, 2, 3, 4, 5];
const sentences = (n: number) => Array.from({ length: n }, (_, i) => `Sentence ${i + 1} of the lesson explains one idea, and then it stops.`).join(' ');

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function submit(gw: TestGateway['gw'], text: string, videoPath?: string): Promise<Task> {
  const task = await gw.segments.create({ id: newTaskId(), text, normalizedText: gw.normalize(text), videoPath, createdAt: gw.clock.now() });
  gw.lifecycle.accepted(task);
  gw.scheduler.notify();
  return task;
}

async function streams(file: string): Promise<{ video: number; audio: number; frames: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-count_packets', '-show_entries', 'stream=codec_type,duration,nb_read_packets', '-of', 'json', file]);
  const s = (JSON.parse(stdout) as { streams: Array<{ codec_type: string; duration: string; nb_read_packets: string }> }).streams;
  const v = s.find((x) => x.codec_type === 'video')!;
  return { video: Number(v.duration), audio: Number(s.find((x) => x.codec_type === 'audio')!.duration), frames: Number(v.nb_read_packets) };
}

/** Frame i of the face played forward then backward, looped (what the segments' faces are cut from). */
const pingPong = (i: number) => {
  const n = FACE_SEC * FPS;
  const p = i % (2 * n);
  return p < n ? p : 2 * n - 1 - p;
};

/**
 * Where the part that starts at frame `cut` really starts in the picture, in frames from `cut`:
 * the nearest frame showing the part's first two face frames. The part before it may end on a
 * held frame (padded), which never matches these two.
 */
function driftFrames(idx: number[], cut: number): number {
  for (let d = 0; d <= 5; d++) {
    for (const j of d === 0 ? [cut] : [cut - d, cut + d]) {
      if (idx[j] === pingPong(cut) && idx[j + 1] === pingPong(cut + 1)) return j - cut;
    }
  }
  return Infinity;
}

describe('cuts on containers that return parts longer or shorter than their speech', () => {
  it('a 40-sentence script on 3 GPUs completes: as long as its speech, A/V in step at every cut', async () => {
    const { farm, t } = await startGatewayOnFarm(cleanups, { gpus: 3, ttsMs: 50, dirPrefix: 'hg-cuts-', farm: { renderMs: 200, video: { lengthErrorFrames: LONGER_AND_SHORTER } } });
    const gw = t.gw;
    const parent = await submit(gw, sentences(40), await indexedFace(FACE_SEC));
    expect(parent.segmentCount).toBeGreaterThan(10);
    const done = await waitFinalInStore(gw, parent.id, 280_000);
    expect(done.state, done.errorMessage ?? '').toBe('completed');
    const kids = await gw.store.listSegments(parent.id);

    // the containers really did return parts off their speech, both ways
    const errors = Object.assign({}, ...farm.slots.map((s) => s.video.stats().lengthErrors)) as Record<string, number>;
    const offs = kids.map((k) => errors[k.id]);
    expect(offs.some((f) => f > 0) && offs.some((f) => f < 0), `length errors ${offs.join(' ')}`).toBe(true);
    expect(kids.every((k) => k.attempt === 1)).toBe(true); // rounding, not bad renders

    // the MP4 is as long as the speech (within one frame), picture and sound together
    const speechSec = kids.reduce((a, k) => a + k.audioDurationSec!, 0);
    const d = await streams(done.outputPath!);
    expect(Math.abs(d.video - speechSec)).toBeLessThanOrEqual(1 / FPS + 1e-3);
    expect(Math.abs(d.audio - speechSec)).toBeLessThanOrEqual(1 / FPS + 1e-3);
    expect(d.frames).toBe(Math.round(speechSec * FPS));

    // at every cut the next part's first face frame is on screen exactly when its speech starts
    const idx = await frameIndices(done.outputPath!);
    let cut = 0;
    const drifts: number[] = [];
    for (const k of kids.slice(0, -1)) {
      cut += Math.round(k.audioDurationSec! * FPS);
      drifts.push(driftFrames(idx, cut) / FPS);
    }
    expect(drifts.length).toBe(kids.length - 1);
    for (const [k, s] of drifts.entries()) expect(Math.abs(s), `A/V drift at the cut after segment ${k + 1}: ${s} s`).toBeLessThan(0.04);
  }, 300_000);

  it('a part rendered 2 s short is a bad render: only that part renders again, and the script completes', async () => {
    const { farm, t } = await startGatewayOnFarm(cleanups, { gpus: 2, ttsMs: 50, dirPrefix: 'hg-cuts-bad-', farm: { renderMs: 200 }, gateway: { segments: { targetSeconds: 6, backupRenders: 0 } } });
    const gw = t.gw;
    let badCode = '';
    // the first render of segment 2 comes back 2 s short (its retry has another code)
    for (const s of farm.slots) s.video.setOptions({ lengthErrorSec: (code) => (code === badCode ? -2 : 0) });
    const parent = await gw.segments.create({ id: newTaskId(), text: sentences(9), normalizedText: gw.normalize(sentences(9)), createdAt: gw.clock.now() });
    const kids0 = await gw.store.listSegments(parent.id);
    expect(kids0.length).toBeGreaterThanOrEqual(3);
    badCode = kids0[1].id;
    gw.lifecycle.accepted(parent);
    gw.scheduler.notify();

    const done = await waitFinalInStore(gw, parent.id, 280_000);
    expect(done.state, done.errorMessage ?? '').toBe('completed');
    const kids = await gw.store.listSegments(parent.id);
    expect(kids[1]).toMatchObject({ state: 'completed', attempt: 2 });
    expect(kids.filter((k) => k.segmentIndex !== 1).every((k) => k.attempt === 1)).toBe(true);
    const renders = farm.slots.flatMap((s) => s.video.stats().history.map((h) => h.code.split('-')[0]));
    expect(renders.filter((c) => c === kids[1].id)).toHaveLength(2);
    expect(farm.slots.flatMap((s) => Object.entries(s.video.stats().lengthErrors)).filter(([, f]) => f !== 0)).toEqual([[badCode, -50]]);
    const speechSec = kids.reduce((a, k) => a + k.audioDurationSec!, 0);
    const d = await streams(done.outputPath!);
    expect(Math.abs(d.video - speechSec)).toBeLessThanOrEqual(1 / FPS + 1e-3);
    expect(Math.abs(d.video - d.audio)).toBeLessThan(0.04);
  }, 300_000);

  it('a one-part task is as long as its speech however long the container made it', async () => {
    const { t } = await startGatewayOnFarm(cleanups, { gpus: 1, ttsMs: 50, dirPrefix: 'hg-cuts-one-', farm: { renderMs: 100, video: { lengthErrorFrames: [4] } } });
    const gw = t.gw;
    const task = await submit(gw, 'One short line to say.', await indexedFace(FACE_SEC));
    expect(task.segmentCount).toBeNull();
    const done = await waitFinalInStore(gw, task.id, 120_000);
    expect(done.state, done.errorMessage ?? '').toBe('completed');
    const d = await streams(done.outputPath!);
    expect(d.frames).toBe(Math.round(done.audioDurationSec! * FPS));
    expect(Math.abs(d.video - done.audioDurationSec!)).toBeLessThanOrEqual(0.5 / FPS + 1e-3);
    expect(Math.abs(d.audio - done.audioDurationSec!)).toBeLessThan(0.03);
    // the face is the upload's, frame for frame from its start: the cut kept its first frames
    const idx = await frameIndices(done.outputPath!);
    expect(idx.slice(0, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  }, 300_000);
});
