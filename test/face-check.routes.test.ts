/**
 * The face check at the door, through HTTP (docs/checks.md): /api/generate and /api/avatars
 * refuse each bad face video with 422 and its code, naming the frames and boxes, and store
 * nothing; an accepted avatar keeps its face box, fps and size. Real ffmpeg and detector.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { faceCaseVideo, type FaceCase } from './helpers/face-fixtures.js';
import { scriptedGatewaysClosedAfterEach } from './helpers/scripted.js';

type Json = Record<string, any>;
const gateway = scriptedGatewaysClosedAfterEach();

async function upload(url: string, route: string, file: string, text = 'Hello there.'): Promise<{ status: number; body: Json }> {
  const form = new FormData();
  form.set('text', text);
  form.set('name', 'Face');
  form.set('video', new Blob([new Uint8Array(await readFile(file))]), 'face.mp4');
  const res = await fetch(`${url}${route}`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Json };
}

describe('face check at the door', () => {
  it.each<[FaceCase, string, string]>([
    ['none', 'no_face', '大家好，欢迎来到我们的直播间。'],
    ['two', 'multiple_faces', 'Hello there.'],
    ['tiny', 'face_too_small', '这款手机今天开卖。'],
    ['cut', 'face_cut_off', 'Hello there.'],
  ])('%s face video → 422 %s on generate and avatar registration, nothing stored (script: %s)', { timeout: 60_000 }, async (kind, code, text) => {
    const { t } = await gateway({}, { realMedia: true });
    const video = await faceCaseVideo(kind);
    for (const route of ['/api/generate', '/api/avatars']) {
      const r = await upload(t.url, route, video, text);
      expect(r.status, `${route} ${JSON.stringify(r.body)}`).toBe(422);
      expect(r.body).toMatchObject({ code, width: 640, height: 360, fps: 25 });
      expect(r.body.error).toEqual(expect.any(String));
      expect(r.body.frames.map((f: Json) => f.at)).toEqual([0.5, 1.5, 2.5]);
      for (const f of r.body.frames) for (const b of f.faces) expect(Object.keys(b).sort()).toEqual(['h', 'score', 'w', 'x', 'y']);
    }
    expect((await t.gw.store.list({ limit: 10 })).total).toBe(0);
    const avatars = (await (await fetch(`${t.url}/api/avatars`)).json()) as Json;
    expect(avatars.total).toBe(0);
  });

  it('an accepted avatar keeps its face box, fps and size; checks.face off skips detection', { timeout: 60_000 }, async () => {
    const { t } = await gateway({}, { realMedia: true });
    const r = await upload(t.url, '/api/avatars', await faceCaseVideo('one'));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.face_check).toMatchObject({ fps: 25, width: 640, height: 360, rotation: 0, frames_sampled: 3 });
    expect(r.body.face_check.face.h).toBeGreaterThan(0.2);
    const again = (await (await fetch(`${t.url}/api/avatars/${r.body.id}`)).json()) as Json;
    expect(again.face_check).toEqual(r.body.face_check);

    const { t: off } = await gateway({ checks: { face: 'off' } }, { realMedia: true });
    const none = await upload(off.url, '/api/avatars', await faceCaseVideo('none'));
    expect(none.status, JSON.stringify(none.body)).toBe(201);
    expect(none.body.face_check).toMatchObject({ face: null, frames_sampled: 0 });
  });

  it('a rotated phone video is judged upright and registered upright', { timeout: 60_000 }, async () => {
    const { t } = await gateway({}, { realMedia: true });
    const { execFileSync } = await import('node:child_process');
    const { join } = await import('node:path');
    // the one-face video turned on its side, with rotation metadata that turns it back
    const turned = join(t.gw.paths.root, 'turned.mp4');
    const sideways = join(t.gw.paths.root, 'sideways.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', await faceCaseVideo('one'), '-vf', 'transpose=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'copy', turned]);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', turned, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', sideways]);
    const r = await upload(t.url, '/api/avatars', sideways);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.face_check).toMatchObject({ width: 640, height: 360, rotation: 90 });
    expect(r.body).toMatchObject({ transcoded: true, width: 640, height: 360 });
    // the box is where the upright video has it: the right-hand person, upper half
    const f = r.body.face_check.face;
    expect(f.x + f.w / 2).toBeGreaterThan(0.5);
    expect(f.y + f.h / 2).toBeLessThan(0.6);
  });
});
