/** The fake speaks the real protocol (docs/protocol.md), checked byte-level. */
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { faceVideoWithAudio } from '../../test/helpers/fixtures.js';
import { checkMp4Structure } from '../media/mp4-boxes.js';
import { toneWav } from './tts-container.fake.js';
import { startFakeVideoContainer, type FakeVideoContainer } from './video-container.fake.js';

let fake: FakeVideoContainer | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function setup(opts: Record<string, unknown> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'fake-video-'));
  fake = await startFakeVideoContainer({ dataDir, renderMs: 400, growMs: 200, ...opts });
  const face = await faceVideoWithAudio(2);
  const { copyFile } = await import('node:fs/promises');
  await copyFile(face, join(dataDir, 'temp', 'c1.mp4'));
  await writeFile(join(dataDir, 'temp', 'c1.wav'), toneWav(1));
  return { dataDir, url: fake.url };
}

const post = (url: string, body: string) => fetch(`${url}/easy/submit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
const query = async (url: string, code: string) => (await (await fetch(`${url}/easy/query?code=${code}`)).json()) as { code: number; data: Record<string, unknown> };
const submitBody = JSON.stringify({ audio_url: 'c1.wav', video_url: 'c1.mp4', code: 'c1', chaofen: 0, watermark_switch: 0, pn: 1 });

describe('fake video container', () => {
  it('answers pretty-printed JSON as text/html and runs a job to a growing result', async () => {
    const { dataDir, url } = await setup();
    const res = await post(url, submitBody);
    expect(res.headers.get('content-type')).toContain('text/html');
    const text = await res.text();
    expect(text).toContain('\n    "code": 10000');
    expect((await query(url, 'c1')).data.status).toBe(1);
    let final: Record<string, unknown> | null = null;
    for (let i = 0; i < 100 && !final; i++) {
      const q = await query(url, 'c1');
      if (q.data.status !== 1) final = q.data;
      else await sleep(20);
    }
    expect(final).toMatchObject({ status: 2, progress: 100, result: '/c1-r.mp4' });
    const out = join(dataDir, 'temp', 'c1-r.mp4');
    expect((await checkMp4Structure(out)).ok).toBe(false); // still growing right after status 2
    expect((await query(url, 'c1')).code).toBe(10004); // the final answer was given once
    await sleep(400);
    expect((await checkMp4Structure(out)).ok).toBe(true);
    expect(statSync(out).size).toBeGreaterThan(1000);
  });

  it('refuses a second job while busy (10001), missing params (10002), bad JSON (HTTP 500)', async () => {
    const { url } = await setup();
    await post(url, submitBody);
    expect(await (await post(url, submitBody.replace('"c1"}', '"c2"}').replace('"code":"c1"', '"code":"c2"'))).json()).toMatchObject({ code: 10001, msg: '忙碌中' });
    expect(await (await post(url, JSON.stringify({ video_url: 'x', code: 'y' }))).json()).toMatchObject({ code: 10002, msg: 'audio_url参数缺失' });
    expect((await post(url, '{not json')).status).toBe(500);
    expect(fake!.stats()).toMatchObject({ submits: 1, busyRefusals: 1 });
  });

  it('fails jobs whose inputs are host paths, and failRate=1 jobs, with status 3', async () => {
    const { url } = await setup();
    await post(url, JSON.stringify({ audio_url: '/home/me/a.wav', video_url: 'c1.mp4', code: 'h1' }));
    await sleep(500);
    expect((await query(url, 'h1')).data).toMatchObject({ status: 3 });
    fake!.setOptions({ failRate: 1 });
    await post(url, submitBody);
    await sleep(500);
    expect((await query(url, 'c1')).data.status).toBe(3);
  });

  it('failCodes (set at runtime) fails exactly the matching jobs at the end of their render', async () => {
    const { dataDir, url } = await setup({ renderMs: 150 });
    fake!.setOptions({ failCodes: (code) => code.split('-')[0] === 'c1' });
    const finalOf = async (code: string) => {
      let q = await query(url, code);
      for (let i = 0; i < 400 && q.data.status === 1; i++) {
        await sleep(10);
        q = await query(url, code);
      }
      return q.data;
    };
    await post(url, submitBody);
    expect(await finalOf('c1')).toMatchObject({ status: 3, msg: '视频合成失败 (render failed)', result: '/c1-r.mp4' });
    await post(url, submitBody.replace('"code":"c1"', '"code":"c1-a2"')); // a retry's code still matches
    expect(await finalOf('c1-a2')).toMatchObject({ status: 3, msg: '视频合成失败 (render failed)' });
    await post(url, submitBody.replace('"code":"c1"', '"code":"c2"'));
    expect(await finalOf('c2')).toMatchObject({ status: 2, progress: 100, result: '/c2-r.mp4' });
    expect(fake!.stats().history.map((h) => `${h.code}:${h.status}`)).toEqual(['c1:3', 'c1-a2:3', 'c2:2']);
    // once settled, a failed job left none of the fake's own scratch behind
    for (let i = 0; i < 200 && fake!.stats().settling.length; i++) await sleep(10);
    expect(fake!.stats().settling).toEqual([]);
    expect(readdirSync(join(dataDir, '.fake-work'))).toEqual([]);
  });

  it('names the result at progress 90 while still running, and forgets everything on restart', async () => {
    const { url } = await setup({ renderMs: 600 });
    await post(url, submitBody);
    await sleep(560);
    expect((await query(url, 'c1')).data).toMatchObject({ status: 1, progress: 90, result: '/c1-r.mp4' });
    await fake!.restart();
    expect((await query(url, 'c1')).code).toBe(10004);
  });

  it('flat progress: sits at 20 with no result named until status 2; render times follow the model', async () => {
    const { url } = await setup({ renderMs: 300, progress: 'flat', renderTime: { kind: 'uniform', spread: 0.5 }, seed: 5 });
    await post(url, submitBody);
    const seen = new Set<string>();
    let final: Record<string, unknown> | null = null;
    for (let i = 0; i < 400 && !final; i++) {
      const q = await query(url, 'c1');
      if (q.data.status === 1) seen.add(`${q.data.progress}|${q.data.result}`);
      else final = q.data;
      if (!final) await sleep(5);
    }
    expect(final).toMatchObject({ status: 2, progress: 100, result: '/c1-r.mp4' });
    expect([...seen].every((k) => ['0|', '10|', '20|'].includes(k))).toBe(true);
    expect(seen.has('20|')).toBe(true);
    const [rec] = fake!.stats().history;
    expect(rec.renderMs).toBeGreaterThanOrEqual(150);
    expect(rec.renderMs).toBeLessThanOrEqual(450);
    expect(rec.renderMs).not.toBe(300);
    expect(rec.doneAt! - rec.submittedAt).toBeGreaterThanOrEqual(rec.renderMs);
  });

  it('proportional render time follows the submitted speech length', async () => {
    const { url } = await setup({ renderTime: { kind: 'proportional', msPerSpeechSec: 200 } });
    await post(url, submitBody);
    let final = false;
    for (let i = 0; i < 400 && !final; i++) {
      final = (await query(url, 'c1')).data.status !== 1;
      if (!final) await sleep(10);
    }
    expect(fake!.stats().history[0].renderMs).toBe(200); // c1.wav is 1 s of speech
  });

  it('fails a job with no result after its own time limit (status 3), and a frozen server stops answering', async () => {
    const { url } = await setup({ renderMs: 60_000, serverTimeoutMs: 150 });
    await post(url, submitBody);
    let q = await query(url, 'c1');
    for (let i = 0; i < 200 && q.data.status === 1; i++) {
      await sleep(10);
      q = await query(url, 'c1');
    }
    expect(q.data).toMatchObject({ status: 3 });
    fake!.setOptions({ frozen: true });
    const ac = new AbortController();
    const pending = fetch(`${url}/easy/query?code=c1`, { signal: ac.signal }).then(() => 'answered', () => 'no answer');
    const raced = await Promise.race([pending, sleep(300).then(() => 'still waiting')]);
    ac.abort();
    expect(raced).toBe('still waiting');
  });
});
