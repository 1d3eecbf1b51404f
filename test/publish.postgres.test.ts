/**
 * Publishing with several nodes on one PostgreSQL database (docs/publishing.md, "Several
 * nodes"): two in-process gateways share the database and the data dir, run scripted engines,
 * and publish to the local Vimeo (tus) and S3 fakes. Both hear every completion; the claim lets
 * exactly one upload each video, counted at the fakes. A Vimeo upload cut mid-file and retried
 * continues the same video from its offset, whichever node takes the retry.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { RenderRequest } from '../src/engines/ports.js';
import { InertMedia, ScriptedVideo, scriptedSlots } from './doubles/scripted-engines.js';
import { FakeS3 } from './fakes/s3.fake.js';
import { FakeVimeo } from './fakes/vimeo.fake.js';
import { getStatus, startTestGateway, waitFor, type TestGateway } from './helpers/gateway.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';

type Pub = { target: string; state: string; attempts: number; url: string | null; error: string | null };

let db: TestDatabase;
let vimeo: FakeVimeo;
let s3: FakeS3;
let a: TestGateway;
let b: TestGateway;
let dataDir: string;
let schemaUrl: string;

/** A scripted render whose video is 4,000 bytes (several tus chunks), different per task. */
class SizedVideo extends ScriptedVideo {
  async render(req: RenderRequest) {
    const r = await super.render(req);
    const seed = createHash('sha256').update(req.code).digest();
    await writeFile(req.outPath, Buffer.alloc(4000, seed));
    return r;
  }
}

async function query<R extends pg.QueryResultRow>(sql: string): Promise<R[]> {
  const c = new pg.Client({ connectionString: schemaUrl });
  await c.connect();
  try {
    return (await c.query<R>(sql)).rows;
  } finally {
    await c.end();
  }
}

const publish = () => ({
  targets: [
    { id: 'vimeo', type: 'vimeo', apiUrl: vimeo.url, nameTemplate: 'Talk {task_id}', chunkBytes: 1024 },
    { id: 's3', type: 's3', bucket: s3.bucket, prefix: 'out/', region: s3.region, endpoint: s3.url, forcePathStyle: true },
  ],
  maxAttempts: 10,
  retryBaseDelayMs: 20,
  retryMaxDelayMs: 100,
});

/** One slot per node, with its own id (slot ids are unique across a deployment). */
async function node(id: string, url: string, slot: number): Promise<TestGateway> {
  return startTestGateway(
    { store: { driver: 'postgres', url }, node: { id }, scheduler: { retryBaseDelayMs: 5, heartbeatMs: 100, reapIntervalMs: 100, leaseMs: 2000 }, publish: publish(), checks: { output: { enabled: false } } },
    {
      slotEngines: scriptedSlots(1, { ttsMs: 2, renderMs: 5 }, { events: [] }).map((e) => ({ ...e, id: slot, video: new SizedVideo(slot, { ttsMs: 2, renderMs: 5 }, { events: [] }) })),
      media: new InertMedia(),
      publishEnv: { HEYGEM_PUBLISH_VIMEO_ACCESS_TOKEN: vimeo.token, AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey },
    },
    dataDir,
  );
}

async function submit(url: string, text: string, choice?: string): Promise<string> {
  const form = new FormData();
  form.set('text', text);
  if (choice) form.set('publish', choice);
  const res = await fetch(`${url}/api/generate`, { method: 'POST', body: form });
  expect(res.status).toBe(202);
  return String(((await res.json()) as { task_id: string }).task_id);
}

async function settled(url: string, id: string, n: number): Promise<Record<string, unknown> & { publications: Pub[] }> {
  return waitFor(async () => {
    const s = (await getStatus(url, id)) as Record<string, unknown> & { publications: Pub[] };
    return s.publications?.length === n && s.publications.every((p) => p.state === 'done' || p.state === 'failed') ? s : undefined;
  }, 60_000, 50);
}

const creates = () => vimeo.requests.filter((r) => r.method === 'POST' && r.path === '/me/videos').length;
const puts = () => s3.log.filter((l) => l === 'PutObject').length;

beforeAll(async () => {
  db = await createTestDatabase();
  vimeo = await new FakeVimeo().start();
  s3 = await new FakeS3().start();
  dataDir = mkdtempSync(join(tmpdir(), 'hg-pubpg-'));
  schemaUrl = await db.freshSchemaUrl();
  // Started together: both create the publication tables at once.
  [a, b] = await Promise.all([node('node-a', schemaUrl, 0), node('node-b', schemaUrl, 1)]);
}, 90_000);

afterAll(async () => {
  await Promise.allSettled([a?.close(), b?.close()]);
  await vimeo?.stop();
  await s3?.stop();
  await db?.drop();
});

describe('publishing with two nodes on one PostgreSQL database', () => {
  it('every finished video is uploaded exactly once to each target, whichever node ran the task or took the request', async () => {
    const before = { creates: creates(), puts: puts() };
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(await submit(i % 2 ? b.url : a.url, `Video number ${i} for two nodes.`));
    for (const id of ids) {
      const s = await settled(a.url, id, 2);
      expect(s.status).toBe('completed');
      for (const p of s.publications) expect(p).toMatchObject({ state: 'done', attempts: 1, error: null });
      // The other node reads the same records.
      expect((await settled(b.url, id, 2)).publications).toEqual(s.publications);
      const mp4 = await readFile(join(dataDir, 'outputs', `${id}.mp4`));
      const videos = [...vimeo.videos.values()].filter((v) => v.name === `Talk ${id}`);
      expect(videos).toHaveLength(1);
      expect(vimeo.bytesOf(videos[0]).equals(mp4)).toBe(true);
      expect(s3.objects.get(`out/${id}.mp4`)!.data.equals(mp4)).toBe(true);
    }
    expect(creates() - before.creates).toBe(ids.length);
    expect(puts() - before.puts).toBe(ids.length);
    const claims = await query<{ n: number }>('SELECT COUNT(*)::int AS n FROM publications WHERE claimed_by IS NOT NULL');
    expect(claims[0].n).toBe(0); // every claim released when its upload ended
    // The records are in PostgreSQL: no SQLite file appeared in the shared data dir.
    expect(existsSync(join(dataDir, 'gateway.db'))).toBe(false);
    expect((await query<{ n: number }>("SELECT COUNT(*)::int AS n FROM publications WHERE state = 'done'"))[0].n).toBe(2 * ids.length);
  });

  it('a Vimeo upload cut mid-file continues the same video from its offset, on whichever node takes the retry', async () => {
    const before = creates();
    vimeo.cutPatchAfter(500); // the first attempt's first chunk: 500 bytes stored, then the connection drops
    vimeo.failNext('head', 2, 503); // and the next two attempts fail asking for the offset
    const id = await submit(b.url, 'Cut in the middle and resumed.', 'vimeo');
    const s = await settled(a.url, id, 1);
    expect(s.publications[0]).toMatchObject({ target: 'vimeo', state: 'done', attempts: 4, error: null });
    expect(creates() - before).toBe(1);
    const video = [...vimeo.videos.values()].find((v) => v.name === `Talk ${id}`)!;
    expect(vimeo.bytesOf(video).equals(await readFile(join(dataDir, 'outputs', `${id}.mp4`)))).toBe(true);
  });
});
