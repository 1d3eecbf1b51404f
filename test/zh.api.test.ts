/**
 * Languages over HTTP (docs/api.md, "Language"), on scripted engines: `language` on generate
 * (multipart, urlencoded, JSON), batch rows (JSON and a CSV column) and /api/normalize; detection
 * at intake; status, task lists and the 202 answer show it; bad values are 400
 * `language_invalid`; text in scripts the TTS cannot speak (Hindi, Korean) is 422
 * `unsupported_script` naming each character and its position, with nothing stored — or, with
 * `text.unsupportedScripts: strip | pass`, removed (and listed) or passed through.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faceVideoWithAudio } from './helpers/fixtures.js';
import { scriptedGatewaysClosedAfterEach } from './helpers/scripted.js';
import type { TestGateway } from './helpers/gateway.js';

const gateway = scriptedGatewaysClosedAfterEach();
type Body = Record<string, any>;
const ECOMMERCE = '这款手机售价2999元，比去年便宜了20%。现在下单，3天内发货！';
const HINDI = 'नमस्ते दुनिया';
const KOREAN = '안녕하세요';

async function json(t: TestGateway, path: string, body: unknown): Promise<{ status: number; body: Body }> {
  const res = await fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Body };
}
async function form(t: TestGateway, fields: Record<string, string>, multipart = true): Promise<{ status: number; body: Body }> {
  let body: FormData | URLSearchParams;
  if (multipart) {
    body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
  } else body = new URLSearchParams(fields);
  const res = await fetch(`${t.url}/api/generate`, { method: 'POST', body });
  return { status: res.status, body: (await res.json()) as Body };
}
const status = async (t: TestGateway, id: string) => (await (await fetch(`${t.url}/api/status/${id}`)).json()) as Body;
const stored = async (t: TestGateway) => (await t.gw.store.list({})).total;

describe('language on generate', () => {
  it('detects Chinese at intake and shows it in the answer, the status and the task list', async () => {
    const { t } = await gateway();
    const r = await json(t, '/api/generate', { text: ECOMMERCE });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body).toMatchObject({ language: 'zh', language_requested: 'auto' });
    expect(r.body.removed_characters).toBeUndefined();
    const s = await status(t, r.body.task_id);
    expect(s).toMatchObject({ language: 'zh', language_requested: 'auto', input_text: ECOMMERCE });
    // read in Chinese: the price is Chinese numerals, not English words
    expect(s.normalized_text).toContain('两千九百九十九元');
    expect(s.normalized_text).not.toMatch(/thousand|hundred|[0-9]/);
    const list = (await (await fetch(`${t.url}/api/tasks`)).json()) as Body;
    expect(list.tasks[0]).toMatchObject({ task_id: r.body.task_id, language: 'zh' });
  });

  it('detects English, and keeps what a request names in every encoding (regional tags too)', async () => {
    const { t } = await gateway();
    expect((await json(t, '/api/generate', { text: 'Hello there.' })).body).toMatchObject({ language: 'en', language_requested: 'auto' });
    const named = [
      await form(t, { text: ECOMMERCE, language: 'en' }),
      await form(t, { text: 'Hello 世界', language: 'zh' }, false),
      await json(t, '/api/generate', { text: 'Hello.', language: 'zh-CN' }),
    ];
    expect(named.map((r) => [r.status, r.body.language, r.body.language_requested])).toEqual([
      [202, 'en', 'en'],
      [202, 'zh', 'zh'],
      [202, 'zh', 'zh'],
    ]);
    expect((await t.gw.store.get(named[0].body.task_id))?.language).toBe('en');
  });

  it('refuses a language it does not know with 400 language_invalid in every encoding; nothing stored', async () => {
    const { t } = await gateway();
    for (const r of [await json(t, '/api/generate', { text: 'Hi.', language: 'fr' }), await json(t, '/api/generate', { text: 'Hi.', language: 5 }), await form(t, { text: 'Hi.', language: 'klingon' }), await form(t, { text: 'Hi.', language: 'de' }, false)]) {
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'language_invalid', allowed: ['auto', 'zh', 'en'] });
    }
    expect(await stored(t)).toBe(0);
  });
});

describe('a long Chinese script', () => {
  it('is split at Chinese sentence ends into segments that keep the language and speak Chinese', async () => {
    const { t } = await gateway({ segments: { targetSeconds: 8 } });
    const script = Array.from({ length: 6 }, (_, i) => `第${i + 1}款手机售价${1999 + i * 1000}元，现在下单${i + 2}天内发货。`).join('');
    const r = await json(t, '/api/generate', { text: script });
    expect(r.status).toBe(202);
    const parent = (await t.gw.store.get(r.body.task_id))!;
    expect(parent.segmentCount).toBeGreaterThan(1);
    const children = await t.gw.store.listSegments(parent.id);
    expect(children.map((c) => c.text).join('')).toBe(script);
    for (const c of children) {
      expect(c).toMatchObject({ language: 'zh', languageRequested: 'auto' });
      expect(c.text).toMatch(/。$/);
      expect(c.normalizedText).not.toMatch(/[0-9]/);
    }
  });
});

describe('scripts the TTS cannot speak', () => {
  it('Hindi and Korean are refused with 422 unsupported_script naming characters and positions; nothing stored', async () => {
    const { t } = await gateway();
    const hindi = await json(t, '/api/generate', { text: `  Hello ${HINDI}` });
    expect(hindi.status).toBe(422);
    expect(hindi.body.code).toBe('unsupported_script');
    expect(hindi.body.error).toContain('Devanagari');
    expect(hindi.body.count).toBe([...HINDI.replace(' ', '')].length);
    // positions are in the text as submitted (leading spaces included)
    expect(hindi.body.details[0]).toEqual({ char: 'न', index: 8, script: 'Devanagari', code_point: 'U+0928' });
    for (const d of hindi.body.details) expect(`  Hello ${HINDI}`.slice(d.index, d.index + d.char.length)).toBe(d.char);
    const korean = await form(t, { text: `我说：${KOREAN}` });
    expect(korean.status).toBe(422);
    expect(korean.body).toMatchObject({ code: 'unsupported_script', count: 5 });
    expect(korean.body.details.map((d: Body) => [d.char, d.index, d.script])).toEqual([...KOREAN].map((c, i) => [c, 3 + i, 'Hangul']));
    const urlencoded = await form(t, { text: KOREAN }, false);
    expect(urlencoded.status).toBe(422);
    // with a face video: refused, and the upload is removed too
    const withVideo = new FormData();
    withVideo.set('text', HINDI);
    withVideo.set('video', new Blob([new Uint8Array(readFileSync(await faceVideoWithAudio(1)))]), 'face.mp4');
    expect((await fetch(`${t.url}/api/generate`, { method: 'POST', body: withVideo })).status).toBe(422);
    expect(readdirSync(join(t.dataDir, 'uploads'))).toEqual([]);
    expect(await stored(t)).toBe(0);
  });

  it('strip: removes them, lists them in the answer, stores and speaks the rest', async () => {
    const { t } = await gateway({ text: { unsupportedScripts: 'strip' } });
    const r = await json(t, '/api/generate', { text: `Hello ${HINDI} world, 你好` });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.removed_characters).toHaveLength(12);
    expect(r.body.removed_characters[0]).toMatchObject({ char: 'न', index: 6, script: 'Devanagari' });
    const task = await t.gw.store.get(r.body.task_id);
    expect(task?.text).toBe('Hello world, 你好');
    expect(task?.normalizedText).not.toMatch(/\p{Script=Devanagari}/u);
    // a text of nothing but such characters has nothing left to speak
    expect((await json(t, '/api/generate', { text: KOREAN })).body.code).toBe('text_missing');
    // the preview lists the removals among its changes
    const n = await json(t, '/api/normalize', { text: `Hi ${KOREAN}!` });
    expect(n.status).toBe(200);
    expect(n.body.normalized).toBe('Hi !');
    expect(n.body.changes.filter((c: Body) => c.class === 'unsupported_script').map((c: Body) => [c.original, c.start])).toEqual([...KOREAN].map((c, i) => [c, 3 + i]));
    expect(n.body.unsupported).toHaveLength(5);
  });

  it('pass: sends them on unchanged', async () => {
    const { t } = await gateway({ text: { unsupportedScripts: 'pass' } });
    const r = await json(t, '/api/generate', { text: `Hello ${KOREAN}` });
    expect(r.status).toBe(202);
    expect((await t.gw.store.get(r.body.task_id))?.text).toBe(`Hello ${KOREAN}`);
  });

  it('the normalize preview never refuses: it names the characters generate would refuse', async () => {
    const { t } = await gateway();
    const n = await json(t, '/api/normalize', { text: `价格2999元 ${KOREAN}` });
    expect(n.status).toBe(200);
    expect(n.body.language).toBe('zh');
    expect(n.body.unsupported.map((u: Body) => u.script)).toEqual(Array(5).fill('Hangul'));
    expect((await json(t, '/api/normalize', { text: 'x', language: 'xx' })).body.code).toBe('language_invalid');
  });
});

describe('language on batch rows', () => {
  it('takes a language per row (JSON) or a CSV column, with a batch default; resolved at intake', async () => {
    const { t } = await gateway();
    const j = await json(t, '/api/batches', { language: 'en', rows: [{ text: ECOMMERCE }, { text: ECOMMERCE, language: 'auto' }, { text: 'Hi.', language: 'zh' }] });
    expect(j.status, JSON.stringify(j.body)).toBe(202);
    const langs = await Promise.all(j.body.rows.map(async (r: Body) => (await t.gw.store.get(r.task_id))!));
    expect(langs.map((x) => [x.language, x.languageRequested])).toEqual([
      ['en', 'en'],
      ['zh', 'auto'],
      ['zh', 'zh'],
    ]);
    const csv = await fetch(`${t.url}/api/batches`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: `text,language,campaign\n"${ECOMMERCE}",,spring\nHello there.,en,spring\n` });
    const cb = (await csv.json()) as Body;
    expect(csv.status, JSON.stringify(cb)).toBe(202);
    const rows = await Promise.all(cb.rows.map(async (r: Body) => (await t.gw.store.get(r.task_id))!));
    expect(rows.map((x) => x.language)).toEqual(['zh', 'en']);
    expect(cb.rows.map((r: Body) => r.language)).toEqual(['zh', 'en']); // each row shows the language its task follows
    expect(cb.rows[0].metadata).toEqual({ campaign: 'spring' }); // the language column is not metadata
  });

  it('refuses a bad language (400 with its row) and rows in scripts the TTS cannot speak (422 with row and position); nothing stored', async () => {
    const { t } = await gateway();
    const bad = await json(t, '/api/batches', { rows: [{ text: 'Hi.' }, { text: 'Yo.', language: 'fr' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ row: 2, field: 'language', code: 'language_invalid' })]);
    const csv = await fetch(`${t.url}/api/batches`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: `text\nHello.\n"Hi ${KOREAN}"\n${HINDI}\n` });
    const body = (await csv.json()) as Body;
    expect(csv.status).toBe(422);
    expect(body.code).toBe('unsupported_script');
    expect(body.details[0]).toMatchObject({ row: 2, char: '안', index: 3, script: 'Hangul' });
    expect(body.details.at(-1)).toMatchObject({ row: 3, script: 'Devanagari' });
    expect(await stored(t)).toBe(0);
    expect((await t.gw.pipelines.batches.list(undefined, 10)).length).toBe(0);
  });
});
