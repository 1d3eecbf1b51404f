import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { newTaskId } from '../domain/ids.js';
import type { Task } from '../domain/task.js';
import { FileRetention } from './file-retention.js';

const HOUR = 3_600_000;

function touch(path: string, ageMs: number, dir = false): void {
  if (dir) mkdirSync(path, { recursive: true });
  else writeFileSync(path, 'x');
  const t = (Date.now() - ageMs) / 1000;
  utimesSync(path, t, t);
}

describe('FileRetention', () => {
  it('removes old per-task files, keeps live tasks, young files and foreign names', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hg-ret-'));
    const d = { uploads: join(root, 'uploads'), work: join(root, 'work'), outputs: join(root, 'outputs'), videoTemp: [join(root, 'gpu0', 'temp')], ttsReference: [join(root, 'tts0', 'reference')] };
    for (const x of [d.uploads, d.work, d.outputs, ...d.videoTemp, ...d.ttsReference]) mkdirSync(x, { recursive: true });
    const dead = newTaskId(Date.now() - 10 * HOUR);
    const live = newTaskId(Date.now() - 10 * HOUR);
    const young = newTaskId();
    touch(join(d.uploads, `${dead}.mp4`), 10 * HOUR);
    touch(join(d.uploads, `${live}.mp4`), 10 * HOUR);
    touch(join(d.uploads, `${young}.mp4`), 1000);
    touch(join(d.work, dead), 10 * HOUR, true);
    touch(join(d.work, live), 10 * HOUR, true);
    touch(join(d.outputs, `${dead}.mp4`), 10 * HOUR);
    touch(join(d.outputs, `${dead}.mp4.tmp-abcd1234`), 10 * HOUR);
    touch(join(d.videoTemp[0], `${dead}.wav`), 10 * HOUR);
    touch(join(d.videoTemp[0], `${dead}-r.mp4`), 10 * HOUR);
    touch(join(d.videoTemp[0], `${live}-r.mp4`), 10 * HOUR);
    touch(join(d.videoTemp[0], 'template_frames_cache.npy'), 10 * HOUR); // the container's own
    touch(join(d.videoTemp[0], `${dead}x.mp4`), 10 * HOUR); // not ours: does not end the id
    touch(join(d.ttsReference[0], `${dead}-0a1b2c3d.wav`), 10 * HOUR);
    const store = { listInStates: async () => [{ id: live } as Task] };
    const r = new FileRetention(store, d, { intervalMs: 0, uploadsMaxAgeMs: HOUR, workMaxAgeMs: HOUR, containerFilesMaxAgeMs: HOUR, outputsMaxAgeMs: 0 }, pino({ level: 'silent' }));
    const removed = await r.runOnce();
    expect(removed).toHaveLength(6);
    expect(readdirSync(d.uploads).sort()).toEqual([`${live}.mp4`, `${young}.mp4`].sort());
    expect(readdirSync(d.work)).toEqual([live]);
    expect(readdirSync(d.outputs)).toEqual([`${dead}.mp4`]); // outputs kept (0 = forever), temp copy removed
    expect(readdirSync(d.videoTemp[0]).sort()).toEqual([`${dead}x.mp4`, `${live}-r.mp4`, 'template_frames_cache.npy'].sort());
    expect(readdirSync(d.ttsReference[0])).toEqual([]);
  });
});

describe('FileRetention: prepared voices and transcoded faces', () => {
  it('keeps content-hash copies while they are used and removes them a retention period after their last use', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hg-ret-prep-'));
    const d = { uploads: join(root, 'uploads'), work: join(root, 'work'), outputs: join(root, 'outputs'), videoTemp: [join(root, 'gpu0', 'temp')], ttsReference: [join(root, 'tts0', 'reference')] };
    for (const x of [d.uploads, d.work, d.outputs, ...d.videoTemp, ...d.ttsReference]) mkdirSync(x, { recursive: true });
    const [a, b] = ['a', 'b'].map((c) => c.repeat(64));
    touch(join(d.ttsReference[0], `prep-${a}.wav`), 10 * HOUR);
    touch(join(d.ttsReference[0], `prep-${a}.txt`), 10 * HOUR);
    touch(join(d.ttsReference[0], `prep-${b}.wav`), 1000); // used a moment ago
    touch(join(d.videoTemp[0], `face-${a}.mp4`), 10 * HOUR);
    touch(join(d.videoTemp[0], `face-${b}.mp4`), 1000);
    touch(join(d.videoTemp[0], `lib-${a}.mp4`), 10 * HOUR); // a library copy: the library prunes those
    const store = { listInStates: async () => [] as Task[] };
    const r = new FileRetention(store, d, { intervalMs: 0, uploadsMaxAgeMs: HOUR, workMaxAgeMs: HOUR, containerFilesMaxAgeMs: HOUR, outputsMaxAgeMs: 0 }, pino({ level: 'silent' }));
    expect(await r.clearInterruptedReferences(Date.now())).toEqual([]); // not a synthesis' own copy
    expect(await r.runOnce()).toHaveLength(3);
    expect(readdirSync(d.ttsReference[0])).toEqual([`prep-${b}.wav`]);
    expect(readdirSync(d.videoTemp[0]).sort()).toEqual([`face-${b}.mp4`, `lib-${a}.mp4`].sort());
  });
});

describe('clearInterruptedReferences', () => {
  it('removes task-named reference copies written before the start, keeps newer ones and foreign files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-ref-'));
    const ref = join(dir, 'reference');
    mkdirSync(ref);
    const old = join(ref, `${newTaskId()}-ab12.wav`);
    const fresh = join(ref, `${newTaskId()}-cd34.wav`);
    const foreign = join(ref, 'speaker-default.wav');
    for (const f of [old, fresh, foreign]) writeFileSync(f, 'wav');
    const start = Date.now();
    utimesSync(old, new Date(start - 60_000), new Date(start - 60_000));
    utimesSync(foreign, new Date(start - 60_000), new Date(start - 60_000));
    utimesSync(fresh, new Date(start + 1000), new Date(start + 1000));
    const r = new FileRetention({ listInStates: async () => [] }, { uploads: dir, work: dir, outputs: dir, videoTemp: [], ttsReference: [ref] }, { intervalMs: 0, uploadsMaxAgeMs: 0, workMaxAgeMs: 0, containerFilesMaxAgeMs: 0, outputsMaxAgeMs: 0 }, pino({ level: 'silent' }));
    expect(await r.clearInterruptedReferences(start)).toEqual([old]);
    expect([existsSync(old), existsSync(fresh), existsSync(foreign)]).toEqual([false, true, true]);
  });
});
