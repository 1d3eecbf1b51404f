/**
 * Avatars and voices through the HTTP API, against protocol-exact fake HeyGem containers:
 * register once, generate by id, one content-hash copy per container, delete refused while a
 * task uses it, bad inputs leave nothing behind. Real ffmpeg, real SQLite, real HTTP.
 */
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayOnFarm, slotsOf } from './helpers/farm.js';
import { faceVideoWithAudio, silentVideo } from './helpers/fixtures.js';
import { FAST_HEYGEM, startTestGateway, waitFinal, waitFor, type TestGateway } from './helpers/gateway.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';
import { bearer, scriptedGatewaysClosedAfterEach } from './helpers/scripted.js';

type Json = Record<string, any>;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let face: string;
let silent: string;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});
const scripted = scriptedGatewaysClosedAfterEach();

let pgdb: TestDatabase;
beforeAll(async () => {
  face = await faceVideoWithAudio(2);
  silent = await silentVideo(1);
  pgdb = await createTestDatabase();
}, 60_000);
afterAll(async () => pgdb?.drop());

const farmAndGateway = (gwInline: Record<string, unknown> = {}, farmOpts: Record<string, unknown> = {}) =>
  startGatewayOnFarm(cleanups, { gpus: 1, ttsMs: 30, dirPrefix: 'hg-lib-farm-', farm: farmOpts, gateway: gwInline });

async function upload(url: string, route: string, field: string, file: { path?: string; bytes?: Buffer; name: string }, fields: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const bytes = file.bytes ?? (await readFile(file.path!));
  form.set(field, new Blob([new Uint8Array(bytes)]), file.name);
  const res = await fetch(`${url}${route}`, { method: 'POST', body: form, headers });
  return { status: res.status, body: (await res.json()) as Json };
}

async function call(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

/** The live answer matches the OpenAPI schema documented for that route and status. */
async function matchesSpec(url: string, method: string, path: string, status: number, body: unknown): Promise<void> {
  const doc = (await (await fetch(`${url}/docs/json`)).json()) as Json;
  const schema = doc.paths[path][method].responses[String(status)].content['application/json'].schema;
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  expect(ajv.validate(schema, body), `${method} ${path} ${status}: ${ajv.errorsText()}`).toBe(true);
}

const libFiles = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('lib-'));
/** Everything under the data dir's library/ (nothing may be left by a rejected upload). */
function libraryTree(dataDir: string): string[] {
  const root = join(dataDir, 'library');
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of (() => { try { return readdirSync(d, { withFileTypes: true }); } catch { return []; } })()) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(join(d, e.name).slice(root.length + 1));
    }
  };
  walk(root);
  return out;
}

/** Register an avatar, generate twice by its id, delete refused while in use then allowed; the gateway. */
async function reuseById(gwInline: Record<string, unknown>): Promise<TestGateway> {
  const { farm, t } = await farmAndGateway(gwInline, { renderMs: 600 });
  const slot = farm.slots[0];
  const created = await upload(t.url, '/api/avatars', 'video', { path: face, name: 'Anna speaking.mp4' }, { name: 'Anna' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const avatar = created.body;
  expect(avatar).toMatchObject({ name: 'Anna', shared: false, transcoded: false, width: 320, height: 240 });
  expect(avatar.id).toMatch(/^av_[0-9a-z]{26}$/);
  expect(avatar.voice_id).toMatch(/^vo_/);
  // poster, preview and the voice's sample are served with their types
  for (const [path, type] of [[avatar.poster_url, 'image/jpeg'], [avatar.preview_url, 'image/webp']]) {
    const r = await fetch(`${t.url}${path}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain(type);
    expect((await r.arrayBuffer()).byteLength).toBeGreaterThan(100);
  }
  const voice = (await call(t.url, 'GET', `/api/voices/${avatar.voice_id}`)).body;
  expect(voice).toMatchObject({ source: 'avatar', source_avatar_id: avatar.id });
  expect((await fetch(`${t.url}${voice.sample_url}`)).headers.get('content-type')).toContain('audio/wav');
  expect((await call(t.url, 'GET', '/api/avatars')).body).toMatchObject({ total: 1, items: [{ id: avatar.id }] });

  // first task by id (JSON), wait for it; the copy's inode is then fixed
  const a = await call(t.url, 'POST', '/api/generate', { text: 'First video by avatar id.', avatar_id: avatar.id });
  expect(a.status, JSON.stringify(a.body)).toBe(202);
  // delete while it is queued or running: refused, naming the task
  const refused = await call(t.url, 'DELETE', `/api/avatars/${avatar.id}`);
  expect(refused.status).toBe(409);
  expect(refused.body).toMatchObject({ code: 'avatar_in_use', task_ids: [a.body.task_id] });
  const done = await waitFinal(t.url, a.body.task_id);
  expect(done.status).toBe('completed');
  // the task page names what it was made with; the avatar's poster is the player's poster
  expect(done).toMatchObject({ avatar: { id: avatar.id, name: 'Anna', poster_url: avatar.poster_url }, voice: { id: avatar.voice_id, name: 'Anna (voice)' } });
  const temp = join(slot.videoDataDir, 'temp');
  const [copy] = libFiles(temp);
  expect(copy).toMatch(/^lib-[0-9a-f]{64}\.mp4$/);
  const inode = statSync(join(temp, copy)).ino;

  // second task by id (multipart) reuses it
  const form = new FormData();
  form.set('text', 'Second video, same face.');
  form.set('avatar_id', avatar.id);
  const b = await fetch(`${t.url}/api/generate`, { method: 'POST', body: form }).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));
  expect(b.status).toBe(202);
  expect((await waitFinal(t.url, b.body.task_id)).status).toBe('completed');

  const inputs = slot.video.stats().inputs;
  expect(inputs.map((i) => i.video_url)).toEqual([copy, copy]); // both jobs named the one copy
  expect(libFiles(temp)).toEqual([copy]);
  expect(statSync(join(temp, copy)).ino).toBe(inode); // not copied again
  // no per-task face was staged, and the voice too has exactly one copy in the TTS dir
  expect(readdirSync(temp).filter((n) => n.endsWith('.mp4') && !n.startsWith('lib-'))).toEqual([]);
  expect(libFiles(join(slot.ttsDataDir, 'reference'))).toHaveLength(1);
  const tts = slot.tts.stats().requests as Array<Record<string, unknown>>;
  expect(tts.map((r) => r.reference_audio)).toEqual(tts.map(() => `/code/data/reference/${libFiles(join(slot.ttsDataDir, 'reference'))[0]}`));

  // now nothing uses it: delete works, its files and its container copy go
  // (and its own voice, made from its video, with it: no orphan "(voice)" entry, no copy left)
  const del = await call(t.url, 'DELETE', `/api/avatars/${avatar.id}`);
  expect(del).toMatchObject({ status: 200, body: { success: true, id: avatar.id, voice_id: avatar.voice_id } });
  expect(libFiles(temp)).toEqual([]);
  expect((await call(t.url, 'GET', `/api/avatars/${avatar.id}`)).status).toBe(404);
  expect(libraryTree(t.dataDir).some((p) => p.startsWith(`avatars/${avatar.id}`))).toBe(false);
  expect((await call(t.url, 'GET', `/api/voices/${avatar.voice_id}`)).status).toBe(404);
  expect(libFiles(join(slot.ttsDataDir, 'reference'))).toEqual([]);
  return t;
}

describe('avatars and voices through the API', { timeout: 180_000 }, () => {
  it('upload once, generate twice by id: the container gets the face once; delete refused while queued, allowed after', async () => {
    await reuseById({});
  });

  it('the same on the shared PostgreSQL store', async () => {
    const t = await reuseById({ store: { driver: 'postgres', url: await pgdb.freshSchemaUrl() } });
    expect((t.gw.config.store as { driver: string }).driver).toBe('postgres');
  });

  it('a voice from an audio file with its transcript, paired with another face; reference_text reaches the TTS', async () => {
    const { farm, t } = await farmAndGateway();
    const wav = join(mkdtempSync(join(tmpdir(), 'hg-lib-')), 'voice.wav');
    const { execFileSync } = await import('node:child_process');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=330:duration=3', '-ac', '1', wav]);
    const v = await upload(t.url, '/api/voices', 'audio', { path: wav, name: 'bob.wav' }, { name: 'Bob', reference_text: 'Hello, I am Bob.' });
    expect(v.status, JSON.stringify(v.body)).toBe(201);
    expect(v.body).toMatchObject({ name: 'Bob', source: 'audio', reference_text: 'Hello, I am Bob.', preprocessed: false });
    // a silent face is fine when a voice is named
    const av = await upload(t.url, '/api/avatars', 'video', { path: silent, name: 'mime.mp4' }, { voice_id: v.body.id });
    expect(av.status, JSON.stringify(av.body)).toBe(201);
    expect(av.body.voice_id).toBe(v.body.id);
    // an uploaded face + a library voice (urlencoded)
    const up = await fetch(`${t.url}/api/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `text=${encodeURIComponent('By avatar, with its named voice.')}&avatar_id=${av.body.id}`,
    });
    const task = (await up.json()) as Json;
    expect(up.status, JSON.stringify(task)).toBe(202);
    expect((await waitFinal(t.url, task.task_id)).status).toBe('completed');
    expect(farm.slots[0].tts.stats().lastRequest).toMatchObject({ reference_text: 'Hello, I am Bob.' });
    // rename and transcript edit
    const patched = await call(t.url, 'PATCH', `/api/voices/${v.body.id}`, { name: 'Robert', reference_text: 'Hi.' });
    expect(patched.body).toMatchObject({ name: 'Robert', reference_text: 'Hi.' });
    // the answers are what the OpenAPI document says
    await matchesSpec(t.url, 'post', '/api/voices', 201, v.body);
    await matchesSpec(t.url, 'post', '/api/avatars', 201, av.body);
    await matchesSpec(t.url, 'patch', '/api/voices/{id}', 200, patched.body);
    await matchesSpec(t.url, 'get', '/api/voices', 200, (await call(t.url, 'GET', '/api/voices')).body);
    await matchesSpec(t.url, 'get', '/api/avatars', 200, (await call(t.url, 'GET', '/api/avatars')).body);
    const tasks = (await call(t.url, 'GET', '/api/tasks')).body;
    await matchesSpec(t.url, 'get', '/api/tasks', 200, tasks);
    expect(tasks.tasks[0]).toMatchObject({ avatar_id: av.body.id, poster_url: av.body.poster_url });
    // a voice registered from an avatar
    const fromAvatar = await call(t.url, 'POST', '/api/voices', { avatar_id: av.body.id, name: 'x' });
    expect(fromAvatar.status).toBe(400); // that face is silent
    expect(fromAvatar.body.code).toBe('audio_missing');
    // an avatar whose own voice was deleted still works (with the default voice)
    const speaking = await upload(t.url, '/api/avatars', 'video', { path: face, name: 'c.mp4' });
    expect((await call(t.url, 'DELETE', `/api/voices/${speaking.body.voice_id}`)).status).toBe(200);
    const orphan = await call(t.url, 'POST', '/api/generate', { text: 'Own voice gone.', avatar_id: speaking.body.id });
    expect((await waitFinal(t.url, orphan.body.task_id)).status).toBe('completed');
  });

  it('library.preprocessVoices: the TTS container normalizes and transcribes the voice; the gateway keeps its own copy', async () => {
    const { farm, t } = await farmAndGateway({ library: { preprocessVoices: true } });
    const v = await upload(t.url, '/api/voices', 'audio', { path: face, name: 'clip.mp4' });
    expect(v.status, JSON.stringify(v.body)).toBe(201);
    expect(v.body).toMatchObject({ source: 'video', preprocessed: true, reference_text: 'part one|||part two' });
    const files = libraryTree(t.dataDir).filter((p) => p.startsWith(`voices/${v.body.id}/`)).sort();
    expect(files).toEqual([`voices/${v.body.id}/normalized.wav`, `voices/${v.body.id}/reference.wav`, `voices/${v.body.id}/sample.wav`]);
    // nothing of it is left in the container's dir (the upload was deleted by it, the output by us)
    const ttsDir = farm.slots[0].ttsDataDir;
    expect(readdirSync(join(ttsDir, 'reference'))).toEqual([]);
    expect(readdirSync(join(ttsDir, 'asr'))).toEqual([]);
  });

  it('bad inputs: clear 4xx and nothing left behind', async () => {
    const { t } = await farmAndGateway();
    const text = await upload(t.url, '/api/avatars', 'video', { bytes: Buffer.from('just some text, not a video\n'.repeat(20)), name: 'fake.mp4' });
    expect(text).toMatchObject({ status: 400, body: { code: 'video_invalid' } });
    const noAudio = await upload(t.url, '/api/avatars', 'video', { path: silent, name: 'silent.mp4' });
    expect(noAudio).toMatchObject({ status: 400, body: { code: 'video_no_audio' } });
    const empty = await upload(t.url, '/api/avatars', 'video', { bytes: Buffer.alloc(0), name: 'empty.mp4' });
    expect(empty).toMatchObject({ status: 400, body: { code: 'file_empty' } });
    const wrongType = await upload(t.url, '/api/avatars', 'video', { bytes: Buffer.from('x'), name: 'face.exe' });
    expect(wrongType).toMatchObject({ status: 400, body: { code: 'file_type_invalid' } });
    const emptyVoice = await upload(t.url, '/api/voices', 'audio', { bytes: Buffer.alloc(0), name: 'v.wav' });
    expect(emptyVoice).toMatchObject({ status: 400, body: { code: 'file_empty' } });
    const textVoice = await upload(t.url, '/api/voices', 'audio', { bytes: Buffer.from('hello'), name: 'v.wav' });
    expect(textVoice).toMatchObject({ status: 400, body: { code: 'audio_missing' } });
    for (const r of [text, noAudio, empty, wrongType, emptyVoice, textVoice]) expect(typeof r.body.error).toBe('string');
    const unknown = await call(t.url, 'POST', '/api/generate', { text: 'Hi.', avatar_id: 'av_0000000000000000000000000a' });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'avatar_not_found' } });
    expect((await call(t.url, 'POST', '/api/generate', { text: 'Hi.', voice_id: 42 })).body.code).toBe('voice_id_invalid');
    // an upload and avatar_id together
    const ok = await upload(t.url, '/api/avatars', 'video', { path: face, name: 'a.mp4' });
    const both = await upload(t.url, '/api/generate', 'video', { path: face, name: 'f.mp4' }, { text: 'Hi.', avatar_id: ok.body.id });
    expect(both).toMatchObject({ status: 400, body: { code: 'avatar_conflict' } });
    // nothing of the rejected requests is anywhere: only the one good avatar and its voice
    expect(libraryTree(t.dataDir).filter((p) => !p.startsWith(`avatars/${ok.body.id}/`) && !p.startsWith(`voices/${ok.body.voice_id}/`))).toEqual([]);
    expect(readdirSync(join(t.dataDir, 'uploads'))).toEqual([]);
    expect((await call(t.url, 'GET', '/api/avatars')).body.total).toBe(1);
    expect((await call(t.url, 'GET', '/api/voices')).body.total).toBe(1);
    expect((await call(t.url, 'GET', '/api/tasks')).body.total).toBe(0);
  });

  it('ownership: each key sees its own items plus shared ones; only an admin shares', async () => {
    const { t, tokens } = await scripted(
      { auth: { enabled: true }, rateLimit: { submitsPerMinutePerKey: 0 } },
      { realMedia: true, keys: { alice: ['submit', 'read'], bob: ['submit', 'read'], root: ['admin'] } },
    );
    const alice = bearer(tokens.alice);
    const bob = bearer(tokens.bob);
    const mine = await upload(t.url, '/api/avatars', 'video', { path: face, name: 'alice.mp4' }, {}, alice);
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    const id = mine.body.id as string;
    expect((await call(t.url, 'GET', '/api/avatars', undefined, bob)).body.total).toBe(0);
    expect((await call(t.url, 'GET', `/api/avatars/${id}`, undefined, bob)).status).toBe(404);
    expect((await fetch(`${t.url}${mine.body.poster_url}?access_token=${tokens.bob}`)).status).toBe(404);
    expect((await fetch(`${t.url}${mine.body.poster_url}?access_token=${tokens.alice}`)).status).toBe(200);
    const stolen = await call(t.url, 'POST', '/api/generate', { text: 'Not yours.', avatar_id: id }, bob);
    expect(stolen).toMatchObject({ status: 404, body: { code: 'avatar_not_found' } });
    expect((await call(t.url, 'DELETE', `/api/avatars/${id}`, undefined, bob)).status).toBe(404);
    expect((await call(t.url, 'PATCH', `/api/avatars/${id}`, { shared: true }, alice)).status).toBe(403);
    expect((await call(t.url, 'PATCH', `/api/avatars/${id}`, { shared: true }, bearer(tokens.root))).body.shared).toBe(true);
    // shared: bob sees and uses it, but cannot rename or delete it
    expect((await call(t.url, 'GET', '/api/avatars', undefined, bob)).body.total).toBe(1);
    const used = await call(t.url, 'POST', '/api/generate', { text: 'Shared face.', avatar_id: id }, bob);
    expect(used.status).toBe(202);
    expect((await call(t.url, 'PATCH', `/api/avatars/${id}`, { name: 'mine now' }, bob)).status).toBe(403);
    await waitFor(async () => (await t.gw.store.get(used.body.task_id))?.state === 'completed', 60_000);
    expect((await call(t.url, 'DELETE', `/api/avatars/${id}`, undefined, alice)).status).toBe(200);
  });

  it('defaults.avatarId / defaults.voiceId replace the bundled face and voice', async () => {
    const { farm, t } = await farmAndGateway();
    const av = (await upload(t.url, '/api/avatars', 'video', { path: face, name: 'd.mp4' })).body;
    await t.close();
    const t2 = await startTestGateway(
      {
        engine: 'heygem',
        slots: slotsOf(farm),
        heygem: FAST_HEYGEM,
        defaults: { avatarId: av.id, voiceId: av.voice_id },
      },
      {},
      t.dataDir,
    );
    cleanups.push(() => t2.close());
    const r = await call(t2.url, 'POST', '/api/generate', { text: 'Text only, default avatar.' });
    expect((await waitFinal(t2.url, r.body.task_id)).status).toBe('completed');
    expect(farm.slots[0].video.stats().inputs.at(-1)!.video_url).toMatch(/^lib-[0-9a-f]{64}\.mp4$/);
    // the default face came with its own voice
    expect((farm.slots[0].tts.stats().lastRequest as Record<string, unknown>).reference_audio).toMatch(/\/reference\/lib-[0-9a-f]{64}\.wav$/);
    expect((await call(t2.url, 'GET', `/api/avatars/${av.id}`)).status).toBe(200);
  });
});
