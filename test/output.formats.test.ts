/**
 * Output options and caption styles end to end (docs/output.md): a real gateway on the preview
 * engine (espeak-ng, real ffmpeg, the real face detector), uploads of real-face videos, and the
 * delivered files checked by ffprobe, by their pixels and — for WebM — by Chromium playing them.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceVideoWithAudio, ffprobeJson } from './helpers/fixtures.js';
import { startTestGateway, waitFinal, type TestGateway } from './helpers/gateway.js';
import { differing, grayFrame } from './helpers/caption-pixels.js';
import { colorPng, rgbFrame, wideFaceSource } from './helpers/output-sources.js';
import { haveChromium, launchBrowser } from './ui/browser.js';

const run = promisify(execFile);
type Json = Record<string, any>;
let t: TestGateway;

beforeAll(async () => {
  t = await startTestGateway({ engine: 'preview', preview: { slots: 1 } });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

async function generate(fields: Record<string, string>, video?: string): Promise<{ status: number; body: Json }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (video) form.set('video', new Blob([new Uint8Array(await readFile(video))], { type: 'video/mp4' }), 'face.mp4');
  const res = await fetch(`${t.url}/api/generate`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Json };
}

async function uploadImage(path: string): Promise<string> {
  const form = new FormData();
  form.set('image', new Blob([new Uint8Array(await readFile(path))], { type: 'image/png' }), 'image.png');
  const res = await fetch(`${t.url}/api/output-images`, { method: 'POST', body: form });
  const body = (await res.json()) as Json;
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.id as string;
}

async function completed(fields: Record<string, string>, video?: string): Promise<{ status: Json; file: string }> {
  const r = await generate(fields, video);
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  const status = (await waitFinal(t.url, r.body.task_id, 180_000)) as Json;
  expect(status.status, JSON.stringify(status.error)).toBe('completed');
  const task = await t.gw.store.get(r.body.task_id);
  return { status, file: task!.outputPath! };
}

const videoStream = (p: Awaited<ReturnType<typeof ffprobeJson>>) => p.streams.find((s) => s.codec_type === 'video') as unknown as Json;
const audioStream = (p: Awaited<ReturnType<typeof ffprobeJson>>) => p.streams.find((s) => s.codec_type === 'audio') as unknown as Json;

describe('output options', () => {
  it('9:16 1080×1920 is cut around the face: the face is centred in the delivered frame', { timeout: 240_000 }, async () => {
    const source = await wideFaceSource();
    const { status, file } = await completed({ text: 'Hello from the portrait channel.', aspect: '9:16', resolution: '1080x1920' }, source);
    expect(status.output).toMatchObject({ aspect: '9:16', resolution: '1080x1920', fit: 'auto', format: 'mp4' });
    expect(status.output.face_box.x).toBeGreaterThan(0.5); // right of centre in the upload
    expect(status.result.data.output).toMatchObject({ framing: 'crop', width: 1080, height: 1920, clamped: false });
    const p = await ffprobeJson(file);
    expect(videoStream(p)).toMatchObject({ codec_name: 'h264', width: 1080, height: 1920 });
    expect(audioStream(p)).toMatchObject({ codec_name: 'aac' });
    // the gateway's own face check, on the delivered video
    const check = await t.gw.faceCheck.check(file, await t.gw.media.probe(file));
    const cx = check.face!.x + check.face!.w / 2;
    expect(Math.abs(cx - 0.5), JSON.stringify(check.face)).toBeLessThan(0.06);
  });

  it('refuses a size above the face video (422) and bad fields (400), storing nothing', { timeout: 120_000 }, async () => {
    const before = (await t.gw.store.list({ limit: 1 })).total;
    const big = await generate({ text: 'Too big.', aspect: '9:16', resolution: '2160x3840' }, await wideFaceSource());
    expect(big.status).toBe(422);
    expect(big.body).toMatchObject({ code: 'output_invalid', max_resolution: '1080x1920' });
    const bad = await generate({ text: 'Bad.', aspect: '3:2', format: 'avi' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('output_invalid');
    expect(bad.body.details.map((d: Json) => d.field).sort()).toEqual(['aspect', 'format']);
    const img = await generate({ text: 'No such image.', watermark: `img_${'0'.repeat(32)}` });
    expect(img.status).toBe(422);
    expect(img.body.code).toBe('output_invalid');
    const style = await generate({ text: 'Style.', caption_style: 'no-such-preset' });
    expect([style.status, style.body.code]).toEqual([400, 'caption_style_invalid']);
    const font = await generate({ text: 'Font.', caption_style: JSON.stringify({ font: 'No Such Font Family' }) });
    expect([font.status, font.body.code]).toEqual([422, 'font_not_found']);
    expect((await t.gw.store.list({ limit: 1 })).total).toBe(before);
  });

  it('padded 16:9 WebM: background colour at the edges, the watermark where asked, plays in Chromium', { timeout: 240_000 }, async () => {
    const wm = await uploadImage(await colorPng('red', 200, 100));
    const { status, file } = await completed(
      { text: 'Hello from the wide channel.', aspect: '16:9', fit: 'pad', background: '#00ff00', watermark: wm, watermark_position: 'top-left', watermark_scale: '0.25', format: 'webm' },
      await faceVideoWithAudio(3),
    );
    expect(file.endsWith('.webm')).toBe(true);
    expect(status.result_url).toMatch(/\.webm$/);
    const p = await ffprobeJson(file);
    const v = videoStream(p);
    expect(v).toMatchObject({ codec_name: 'vp9', width: 426, height: 240 });
    expect(audioStream(p)).toMatchObject({ codec_name: 'opus' });
    const px = await rgbFrame(file, 0.5, v.width, v.height);
    // the 320×240 picture sits in the middle (x 52..372): the columns outside it are the background
    for (const [x, y] of [[4, 120], [421, 120], [20, 230], [410, 200]]) {
      const [r, g, b] = px(x, y);
      expect(g > 200 && r < 60 && b < 60, `background at ${x},${y}: ${[r, g, b]}`).toBe(true);
    }
    // the watermark: 25 % of the width (106 px) from the top-left margin (7 px)
    const [r, g, b] = px(7 + 50, 7 + 20);
    expect(r > 200 && g < 60 && b < 60, `watermark: ${[r, g, b]}`).toBe(true);
    const [r2] = px(426 - 30, 240 - 20);
    expect(r2, 'no watermark bottom-right').toBeLessThan(150);

    const dl = await fetch(`${t.url}/api/download/${status.task_id}`);
    expect(dl.headers.get('content-type')).toBe('video/webm');
    expect(dl.headers.get('content-disposition')).toMatch(/\.webm"/);
    await dl.arrayBuffer();

    if (!haveChromium()) return;
    const browser = await launchBrowser();
    try {
      const page = await browser.ctx.newPage();
      await page.goto(`${t.url}/api/health`);
      const played = await page.evaluate(async (src) => {
        const v = document.createElement('video');
        v.muted = true;
        v.src = src;
        document.body.append(v);
        await v.play();
        const start = v.currentTime;
        await new Promise<void>((res) => {
          const tick = () => (v.currentTime > start + 0.2 ? res() : requestAnimationFrame(tick));
          tick();
        });
        return { readyState: v.readyState, currentTime: v.currentTime, width: v.videoWidth, height: v.videoHeight };
      }, `${t.url}${status.result_url}`);
      expect(played.readyState).toBeGreaterThanOrEqual(2);
      expect(played.currentTime).toBeGreaterThan(0.2);
      expect([played.width, played.height]).toEqual([426, 240]);
    } finally {
      await browser.close();
    }
  });

  it('a CJK caption preset burned into a Chinese script, in the same pass as a 9:16 cut', { timeout: 300_000 }, async () => {
    const source = await wideFaceSource(3, true);
    const text = '这款手机售价2999元，比去年便宜了20%。现在下单，3天内发货！';
    const common = { text, aspect: '9:16', resolution: '540x960', language: 'zh' };
    const plain = await completed(common, source);
    const burned = await completed({ ...common, captions: 'burn', caption_style: 'zh-default' }, source);
    expect(burned.status.caption_style).toMatchObject({ name: 'zh-default', font: 'Noto Sans CJK SC' });
    expect(burned.status.result.data).toMatchObject({ captions_burned: true, output: { framing: 'crop', width: 540, height: 960 } });
    const cues = (await (await fetch(`${t.url}/api/tasks/${burned.status.task_id}/captions.vtt`)).text());
    expect(cues).toContain('line:95%,end position:50% align:center');
    // the caption area (the bottom quarter): ink where the plain cut has none, and two cues differ (real glyphs, not tofu)
    const o = { width: 540, height: 960, fromRow: 720 };
    const ground = await grayFrame(plain.file, 0.5, o);
    const first = await grayFrame(burned.file, 0.5, o);
    const speech = Number(burned.status.result.data.duration_sec ?? 8);
    const second = await grayFrame(burned.file, Math.max(1, speech - 0.5), o);
    expect(differing(first, ground)).toBeGreaterThan(300);
    expect(differing(second, ground)).toBeGreaterThan(300);
    expect(differing(first, second)).toBeGreaterThan(0.4 * Math.min(differing(first, ground), differing(second, ground)));
    // above the caption area the two cuts are the same picture
    const top = { width: 540, height: 960 };
    const a = (await grayFrame(plain.file, 0.5, top)).subarray(0, 540 * 600);
    const b = (await grayFrame(burned.file, 0.5, top)).subarray(0, 540 * 600);
    expect(differing(a, b)).toBeLessThan(540 * 6);
  });
});

describe('caption styles routes', () => {
  it('lists the presets and the fonts; previews a preset as PNG on a frame of the face video', { timeout: 60_000 }, async () => {
    const list = (await (await fetch(`${t.url}/api/caption-styles`)).json()) as Json;
    expect(list.styles.map((s: Json) => s.name)).toEqual(expect.arrayContaining(['default', 'bold-box', 'zh-default']));
    expect(list.fonts).toContain('noto sans cjk sc');
    const res = await fetch(`${t.url}/api/caption-styles/preview`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ caption_style: 'bold-box', language: 'zh' }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await res.arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const bad = await fetch(`${t.url}/api/caption-styles/preview`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ caption_style: { font: 'Nope Sans' } }) });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as Json).code).toBe('font_not_found');
    await run('true');
  });
});
