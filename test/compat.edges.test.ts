/**
 * Edge cases of the compatible API (#11, #16): text limits in characters in every encoding,
 * urlencoded bodies validated like multipart, two videos refused as bad input, and /api/queue
 * scoped per API key (own ids and texts only, positions and counts for all).
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceVideoWithAudio } from './helpers/fixtures.js';
import { waitFor, type TestGateway } from './helpers/gateway.js';
import { postForm, pyUrlencode, rawRequest } from './helpers/old-client.js';
import { bearer, scriptedGateway } from './helpers/scripted.js';

const EMOJI = '\u{1F600}';

describe('POST /api/generate: one validation for multipart, urlencoded and JSON', () => {
  let t: TestGateway;
  let face: Buffer;
  beforeAll(async () => {
    face = await readFile(await faceVideoWithAudio(2));
    // the replaced system's limit of 5000 characters; real ffprobe for the video parts
    ({ t } = await scriptedGateway({ limits: { maxTextChars: 5000 }, segments: { enabled: false } }, { realMedia: true, script: { renderMs: 5 } }));
  });
  afterAll(async () => t?.close());

  const multipart = async (fields: Array<[string, string | { data: Buffer; name: string }]>) => {
    const fd = new FormData();
    for (const [k, v] of fields) {
      if (typeof v === 'string') fd.append(k, v);
      else fd.append(k, new Blob([new Uint8Array(v.data)], { type: 'video/mp4' }), v.name);
    }
    const res = await fetch(`${t.url}/api/generate`, { method: 'POST', body: fd });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const form = async (body: string, type = 'application/x-www-form-urlencoded') => {
    const r = await rawRequest(t.url, 'POST', '/api/generate', body, { 'Content-Type': type });
    return { status: r.status, body: JSON.parse(r.body) as Record<string, unknown> };
  };
  const json = async (body: unknown) => {
    const res = await fetch(`${t.url}/api/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('accepts 5000 emoji at a 5000-character limit and refuses 5001, in every encoding', async () => {
    const atLimit = EMOJI.repeat(5000);
    const over = EMOJI.repeat(5001);
    for (const [name, send] of [
      ['multipart', (s: string) => multipart([['text', s]])],
      ['urlencoded', (s: string) => form(pyUrlencode({ text: s }))],
      ['json', (s: string) => json({ text: s })],
    ] as const) {
      const ok = await send(atLimit);
      expect(ok.status, `${name}: ${JSON.stringify(ok.body)}`).toBe(202);
      const stored = await t.gw.store.get(String(ok.body.task_id));
      expect(stored?.text).toBe(atLimit);
      const refused = await send(over);
      expect(refused.status, name).toBe(400);
      expect(refused.body, name).toMatchObject({ code: 'text_too_long', error: expect.any(String) });
    }
    // the preview route counts the same way
    const n = await fetch(`${t.url}/api/normalize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: atLimit }) });
    expect(n.status).toBe(200);
  });

  it('validates urlencoded bodies like multipart', async () => {
    expect((await form('')).body).toMatchObject({ code: 'text_missing', error: 'No text provided' });
    expect((await form('text=')).body.code).toBe('text_missing');
    expect((await form('text=+++%0A')).body.code).toBe('text_missing');
    expect((await form('other=hello')).body.code).toBe('text_missing');
    // a repeated key is not one text (the JSON route refuses an array the same way)
    expect((await form('text=a&text=b')).body.code).toBe('text_missing');
    const ok = await form('text=Hello+there%2C+caf%C3%A9', 'application/x-www-form-urlencoded; charset=utf-8');
    expect(ok.status).toBe(202);
    expect((await t.gw.store.get(String(ok.body.task_id)))?.text).toBe('Hello there, café');
    // the same field name and error shape as the old app's: {"error": "No text provided"}
    const old = await postForm(t.url, '/api/generate', { txt: 'typo' });
    expect(old.status).toBe(400);
    expect(JSON.parse(old.body)).toMatchObject({ error: 'No text provided' });
  });

  it('refuses a urlencoded body over the body limit with 413 body_too_large', async () => {
    const big = `text=${'a'.repeat(1024 * 1024 + 10)}`;
    const r = await form(big);
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('body_too_large');
  });

  it('answers two video parts with 400 video_multiple and keeps no upload', async () => {
    const before = (await t.gw.store.list({})).total;
    const r = await multipart([
      ['text', 'two faces'],
      ['video', { data: face, name: 'a.mp4' }],
      ['video', { data: face, name: 'b.mp4' }],
    ]);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body).toMatchObject({ code: 'video_multiple', error: expect.any(String) });
    expect((await t.gw.store.list({})).total).toBe(before);
    await waitFor(async () => readdirSync(join(t.dataDir, 'uploads')).length === 0, 5000);
    // one video is still fine
    const one = await multipart([['text', 'one face'], ['video', { data: face, name: 'a.mp4' }]]);
    expect(one.status, JSON.stringify(one.body)).toBe(202);
  });
});

describe('/api/queue scoped per API key', () => {
  let t: TestGateway;
  let tokens: Record<string, string>;
  beforeAll(async () => {
    // one slot and long renders: two tasks hold the slot, the rest wait
    ({ t, tokens } = await scriptedGateway(
      { auth: { enabled: true }, rateLimit: { submitsPerMinutePerKey: 0 } },
      { slots: 1, keys: { alice: ['submit', 'read'], bob: ['submit', 'read'], root: ['admin'] }, script: { ttsMs: 5, renderMs: 60_000 } },
    ));
  });
  afterAll(async () => t?.close(0));

  it('shows other keys\u2019 entries without ids or texts, keeps positions and the total; admins see all', async () => {
    const owner: Record<string, string> = {};
    for (let i = 0; i < 6; i++) {
      const who = i % 2 === 0 ? 'alice' : 'bob';
      const r = await postForm(t.url, '/api/generate', { text: `${who} task ${i}` }, bearer(tokens[who]));
      expect(r.status, r.body).toBe(202);
      owner[JSON.parse(r.body).task_id as string] = who;
    }
    const read = async (who: string) => JSON.parse((await rawRequest(t.url, 'GET', '/api/queue', undefined, bearer(tokens[who]))).body) as {
      gpus: Record<string, { current_task: string | null; tasks: string[]; busy: boolean }>;
      queue: Array<{ task_id: string | null; position: number; text: string | null; mine: boolean; queued_time: string }>;
      queue_size: number;
    };
    // wait until the slot holds its two tasks (one rendering, one past TTS) and four wait
    await waitFor(async () => (await read('root')).queue_size === 4 && (await read('root')).gpus['0'].tasks.length === 2);

    const all = await read('root');
    expect(all.queue.map((q) => q.position)).toEqual([1, 2, 3, 4]);
    expect(all.queue.every((q) => q.task_id !== null && q.mine)).toBe(true);
    const running = all.gpus['0'].tasks;

    for (const who of ['alice', 'bob']) {
      const v = await read(who);
      expect(v.queue_size).toBe(4);
      expect(v.queue.map((q) => q.position)).toEqual([1, 2, 3, 4]);
      for (const [i, q] of v.queue.entries()) {
        const real = all.queue[i].task_id!;
        if (owner[real] === who) {
          expect(q).toMatchObject({ task_id: real, mine: true, text: expect.stringMatching(new RegExp(`^${who} task \\d\\.\\.\\.$`)) });
        } else {
          expect(q).toMatchObject({ task_id: null, text: null, mine: false });
          expect(typeof q.queued_time).toBe('string');
        }
      }
      const g = v.gpus['0'];
      expect(g.busy).toBe(true);
      expect(g.tasks.sort()).toEqual(running.filter((id) => owner[id] === who).sort());
      const current = all.gpus['0'].current_task!;
      expect(g.current_task).toBe(owner[current] === who ? current : null);
    }
  });
});
