/**
 * Publishing through the real gateway (preview engine, SQLite, HTTP) to the local Vimeo (tus)
 * and S3 (SigV4-checking) fakes: both targets get the exact MP4; a target failing twice then
 * succeeds; a target down for good leaves the task completed with the failure in its status;
 * pending uploads continue after a restart. Secrets never show up in logs or status bodies.
 */
import { readFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeS3 } from './fakes/s3.fake.js';
import { FakeVimeo } from './fakes/vimeo.fake.js';
import { getStatus, startTestGateway, waitFinal, waitFor, type TestGateway } from './helpers/gateway.js';

let vimeo: FakeVimeo;
let s3: FakeS3;
let gw: TestGateway;
let logText = '';

type Pub = { target: string; type: string; state: string; attempts: number; url: string | null; error: string | null; updated_at: string };

const publishConfig = (over: Record<string, unknown> = {}) => ({
  targets: [
    { id: 'vimeo', type: 'vimeo', apiUrl: vimeo.url, privacy: 'unlisted', nameTemplate: 'Talk {task_id}', descriptionTemplate: 'Made {date}: {text}', chunkBytes: 64 * 1024 },
    { id: 's3', type: 's3', bucket: s3.bucket, prefix: 'out/', region: s3.region, endpoint: s3.url, forcePathStyle: true, presignExpiresSec: 900 },
    { id: 'archive', type: 's3', name: 'Archive', default: false, bucket: s3.bucket, prefix: 'archive/', region: s3.region, endpoint: s3.url, forcePathStyle: true, publicBaseUrl: 'https://cdn.example.com' },
  ],
  maxAttempts: 4,
  retryBaseDelayMs: 20,
  retryMaxDelayMs: 200,
  ...over,
});

const env = () => ({
  HEYGEM_PUBLISH_VIMEO_ACCESS_TOKEN: vimeo.token,
  AWS_ACCESS_KEY_ID: s3.accessKeyId,
  AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
});

const capture = () =>
  pino(
    { level: 'debug' },
    new Writable({
      write: (c, _e, cb) => {
        logText += c.toString();
        cb();
      },
    }),
  );

async function submit(url: string, text: string, publish?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  form.set('text', text);
  if (publish !== undefined) form.set('publish', publish);
  const res = await fetch(`${url}/api/generate`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Status once every publication ended (done or failed). */
async function publicationsSettled(url: string, id: string, n: number): Promise<Record<string, unknown> & { publications: Pub[] }> {
  return waitFor(async () => {
    const s = (await getStatus(url, id)) as Record<string, unknown> & { publications: Pub[] };
    return s.publications?.length === n && s.publications.every((p) => p.state === 'done' || p.state === 'failed') ? s : undefined;
  }, 60_000, 50);
}

async function metric(url: string, target: string, outcome: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^heygem_gateway_publish_total\\{target="${target}",outcome="${outcome}"\\} (\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

beforeAll(async () => {
  vimeo = await new FakeVimeo().start();
  s3 = await new FakeS3().start();
  gw = await startTestGateway({ publish: publishConfig() }, { publishEnv: env(), log: capture() });
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await vimeo?.stop();
  await s3?.stop();
});

describe('publishing finished videos', () => {
  it('publishes the finished MP4 to Vimeo (tus) and S3 byte for byte, with links in the status and metrics', async () => {
    const r = await submit(gw.url, 'Hello from the gateway. This video goes to Vimeo and to the bucket.');
    expect(r.status).toBe(202);
    const id = String(r.body.task_id);
    const done = await waitFinal(gw.url, id, 60_000);
    expect(done.status).toBe('completed');
    const s = await publicationsSettled(gw.url, id, 2);
    expect(s.status).toBe('completed');
    const mp4 = await readFile(`${gw.dataDir}/outputs/${id}.mp4`);
    const video = [...vimeo.videos.values()].find((v) => v.name === `Talk ${id}`)!;
    expect(video.privacy).toBe('unlisted');
    expect(video.description).toMatch(/^Made \d{4}-\d\d-\d\d: Hello from the gateway\. This video goes to Vimeo a\.\.\.$/);
    expect(vimeo.bytesOf(video).equals(mp4)).toBe(true);
    expect(video.patches).toBe(Math.ceil(mp4.length / (64 * 1024)));
    expect(s3.objects.get(`out/${id}.mp4`)!.data.equals(mp4)).toBe(true);
    const byTarget = Object.fromEntries(s.publications.map((p) => [p.target, p]));
    expect(byTarget.vimeo).toMatchObject({ type: 'vimeo', state: 'done', attempts: 1, url: video.link, error: null });
    expect(byTarget.s3).toMatchObject({ type: 's3', state: 'done', attempts: 1, error: null });
    expect(s).toMatchObject({ vimeo_uploaded: true, vimeo_url: video.link });
    expect(typeof s.vimeo_upload_time).toBe('string');
    // The presigned link really downloads the video from the (signature-checking) fake.
    const dl = await fetch(byTarget.s3.url!);
    expect(dl.status).toBe(200);
    expect(Buffer.from(await dl.arrayBuffer()).equals(mp4)).toBe(true);
    expect(await metric(gw.url, 'vimeo', 'done')).toBeGreaterThanOrEqual(1);
    expect(await metric(gw.url, 's3', 'done')).toBeGreaterThanOrEqual(1);
    expect(await (await fetch(`${gw.url}/metrics`)).text()).toMatch(/heygem_gateway_publish_duration_seconds_count\{target="s3",outcome="done"\} \d+/);
  });

  it('a target that fails twice then succeeds ends done after 3 attempts', async () => {
    const retriesBefore = await metric(gw.url, 'archive', 'retry');
    s3.failNext(2, 503, 'SlowDown');
    const r = await submit(gw.url, 'Only to the archive, please.', 'archive');
    expect(r.status).toBe(202);
    const id = String(r.body.task_id);
    const s = await publicationsSettled(gw.url, id, 1);
    expect(s.status).toBe('completed');
    expect(s.publications[0]).toMatchObject({ target: 'archive', state: 'done', attempts: 3, url: `https://cdn.example.com/archive/${id}.mp4`, error: null });
    expect(s3.objects.get(`archive/${id}.mp4`)!.data.equals(await readFile(`${gw.dataDir}/outputs/${id}.mp4`))).toBe(true);
    expect(s.vimeo_uploaded).toBe(false);
    expect(await metric(gw.url, 'archive', 'retry')).toBe(retriesBefore + 2);
  });

  it('a target down for good: the task stays completed and the status shows the failure', async () => {
    vimeo.down = true;
    try {
      const r = await submit(gw.url, 'Vimeo is down today.', 'vimeo');
      const id = String(r.body.task_id);
      const s = await publicationsSettled(gw.url, id, 1);
      expect(s.status).toBe('completed');
      expect(s.error).toBeNull();
      expect(s.result_url).toBe(`/outputs/${id}.mp4`);
      expect(s.publications[0]).toMatchObject({ target: 'vimeo', state: 'failed', attempts: 4, url: null });
      expect(s.publications[0].error).toContain('HTTP 503');
      expect(s).toMatchObject({ vimeo_uploaded: false, vimeo_url: null, vimeo_upload_time: null });
      expect(await metric(gw.url, 'vimeo', 'failed')).toBeGreaterThanOrEqual(1);
    } finally {
      vimeo.down = false;
    }
  });

  it('refuses an unknown target with a JSON error before storing anything; "none" publishes nothing', async () => {
    const bad = await submit(gw.url, 'hello', 'youtube');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'publish_target_unknown', error: expect.stringContaining('"youtube"') });
    const res = await fetch(`${gw.url}/api/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'No publishing for this one.', publish: 'none' }) });
    expect(res.status).toBe(202);
    const id = String(((await res.json()) as { task_id: string }).task_id);
    expect((await waitFinal(gw.url, id, 60_000)).status).toBe('completed');
    const s = await getStatus(gw.url, id);
    expect(s).toMatchObject({ publications: [], vimeo_uploaded: false });
  });

  it('never logs or returns a credential', async () => {
    const list = (await (await fetch(`${gw.url}/api/tasks?limit=50`)).json()) as { tasks: Array<{ task_id: string }> };
    const bodies = await Promise.all(list.tasks.map(async (t) => JSON.stringify(await getStatus(gw.url, t.task_id))));
    for (const secret of [vimeo.token, s3.secretAccessKey]) {
      expect(logText).not.toContain(secret);
      for (const b of bodies) expect(b).not.toContain(secret);
    }
    expect(logText).toContain('publish: uploaded');
    for (const b of bodies) expect(b).not.toContain('/tus/');
  });
});

describe('publishing after a restart', () => {
  it('an upload pending when the gateway stopped finishes after it starts again', async () => {
    const first = await startTestGateway({ publish: publishConfig({ maxAttempts: 100, retryBaseDelayMs: 50, retryMaxDelayMs: 100 }) }, { publishEnv: env() });
    vimeo.down = true;
    let id = '';
    try {
      const r = await submit(first.url, 'Published after the restart.', 'vimeo');
      id = String(r.body.task_id);
      await waitFor(async () => {
        const s = (await getStatus(first.url, id)) as { publications?: Pub[] };
        return s.publications?.[0]?.attempts && s.publications[0].attempts >= 2 ? s : undefined;
      }, 60_000, 50);
    } finally {
      await first.close();
      vimeo.down = false;
    }
    const second = await startTestGateway({ publish: publishConfig({ maxAttempts: 100, retryBaseDelayMs: 50, retryMaxDelayMs: 100 }) }, { publishEnv: env() }, first.dataDir);
    try {
      const s = await publicationsSettled(second.url, id, 1);
      expect(s.status).toBe('completed');
      expect(s.publications[0]).toMatchObject({ target: 'vimeo', state: 'done' });
      const video = [...vimeo.videos.values()].find((v) => v.name === `Talk ${id}`)!;
      expect(vimeo.bytesOf(video).equals(await readFile(`${first.dataDir}/outputs/${id}.mp4`))).toBe(true);
    } finally {
      await second.close();
    }
  });
});
