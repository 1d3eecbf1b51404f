/**
 * Templates and usage over HTTP on scripted engines (fast): CRUD owned per key with versions,
 * render through generate's intake (status names the template version), 422
 * `template_variables`, a Chinese `{{price}}` read as Chinese numbers, a template batch that
 * refuses a row with a missing variable before anything is queued, usage by key and day with
 * its CSV, and a monthly budget that refuses the submit crossing it and accepts after the month
 * rolls (clock injected).
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from './helpers/gateway.js';
import { bearer, scriptedGatewaysClosedAfterEach } from './helpers/scripted.js';

const gateway = scriptedGatewaysClosedAfterEach();
type Body = Record<string, any>;

async function call(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Body; text: string; headers: Headers }> {
  const res = await fetch(`${url}${path}`, { method, headers: { ...(body !== undefined ? { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' } : {}), ...headers }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let parsed: Body = {};
  try {
    parsed = JSON.parse(text) as Body;
  } catch {
    // CSV
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

const done = (url: string, id: string, headers: Record<string, string> = {}) =>
  waitFor(async () => {
    const s = (await call(url, 'GET', `/api/status/${id}`, undefined, headers)).body;
    if (s.status === 'failed' || s.status === 'canceled') throw new Error(`task ${id} ended ${s.status}: ${s.error_code} ${s.error}`);
    return s.status === 'completed' ? s : undefined;
  }, 30_000);

describe('templates', () => {
  it('are stored per key with versions, render through generate\u2019s intake and name their version in the status', async () => {
    const { t, tokens } = await gateway({ auth: { enabled: true }, rateLimit: { submitsPerMinutePerKey: 0 } }, { keys: { alice: ['submit', 'read'], bob: ['submit', 'read'], admin: ['admin'] } });
    const [alice, bob] = [bearer(tokens.alice), bearer(tokens.bob)];
    // options generate would refuse are refused when stored, not when rendered
    const orphan = await call(t.url, 'POST', '/api/templates', { name: 'Promo', script: 'Hi {{name}}!', options: { aspect: '9:16', watermark_position: 'top-right' } }, alice);
    expect(orphan.body).toMatchObject({ code: 'output_invalid', details: [{ field: 'watermark_position' }] });
    const made = await call(t.url, 'POST', '/api/templates', { name: 'Promo', script: 'Hi {{name}}! {{product}} is {{price}} dollars.', language: 'en', options: { aspect: '9:16', fit: 'pad' } }, alice);
    expect(made.status, made.text).toBe(201);
    expect(made.body).toMatchObject({ version: 1, variables: ['name', 'product', 'price'], language: 'en', options: { aspect: '9:16', fit: 'pad' }, shared: false });
    const id = made.body.id as string;
    // another key neither sees nor changes it
    expect((await call(t.url, 'GET', `/api/templates/${id}`, undefined, bob)).status).toBe(404);
    expect((await call(t.url, 'GET', '/api/templates', undefined, bob)).body.total).toBe(0);
    expect((await call(t.url, 'DELETE', `/api/templates/${id}`, undefined, bob)).status).toBe(404);
    // a field generate would refuse is refused here too, and an unknown option
    expect((await call(t.url, 'POST', '/api/templates', { name: 'x', script: 'y', language: 'fr' }, alice)).body.code).toBe('language_invalid');
    expect((await call(t.url, 'POST', '/api/templates', { name: 'x', script: 'y', options: { colour: 'red' } }, alice)).body.code).toBe('template_invalid');

    const v2 = await call(t.url, 'PUT', `/api/templates/${id}`, { name: 'Promo', script: 'Hello {{name}}! {{product}} costs {{price}} dollars.', language: 'en' }, alice);
    expect(v2.body).toMatchObject({ id, version: 2 });
    expect((await call(t.url, 'GET', `/api/templates/${id}/versions`, undefined, alice)).body.items.map((x: Body) => x.version)).toEqual([2, 1]);
    expect((await call(t.url, 'GET', `/api/templates/${id}?version=1`, undefined, alice)).body.options).toEqual({ aspect: '9:16', fit: 'pad' });

    const bad = await call(t.url, 'POST', `/api/templates/${id}/render`, { variables: { name: 'Ann', colour: 'red' } }, alice);
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: 'template_variables', missing: ['product', 'price'], extra: ['colour'] });

    const r = await call(t.url, 'POST', `/api/templates/${id}/render`, { variables: { name: 'Ann', product: 'The lamp', price: 30 } }, alice);
    expect(r.status, r.text).toBe(202);
    expect(r.body).toMatchObject({ template_id: id, template_version: 2 });
    const s = await done(t.url, r.body.task_id, alice);
    expect(s).toMatchObject({ input_text: 'Hello Ann! The lamp costs 30 dollars.', template_id: id, template_version: 2 });
    expect(s.normalized_text).toContain('thirty');
    // an older version renders on request
    const old = await call(t.url, 'POST', `/api/templates/${id}/render`, { version: 1, variables: { name: 'Bo', product: 'X', price: '1' } }, alice);
    expect(old.status, old.text).toBe(202);
    // scripted engines write no real video, so its 9:16 pass is not run here (test/output.*.test.ts renders it)
    expect((await call(t.url, 'GET', `/api/status/${old.body.task_id}`, undefined, alice)).body).toMatchObject({ template_version: 1, output: { aspect: '9:16', fit: 'pad' } });
    // a plain task names no template
    const plain = await call(t.url, 'POST', '/api/generate', { text: 'Plain.' }, alice);
    expect((await done(t.url, plain.body.task_id, alice)).template_id).toBeNull();

    expect((await call(t.url, 'DELETE', `/api/templates/${id}`, undefined, alice)).status).toBe(200);
    expect((await call(t.url, 'GET', `/api/templates/${id}`, undefined, alice)).status).toBe(404);
    expect((await call(t.url, 'GET', `/api/status/${r.body.task_id}`, undefined, alice)).body.template_version).toBe(2);
  });

  it('reads a Chinese {{price}} as Chinese numbers: the variable is filled before speech normalization', async () => {
    const { t } = await gateway();
    const made = await call(t.url, 'POST', '/api/templates', { name: '手机', script: '这款{{产品}}售价{{price}}元，比去年便宜了{{折扣}}。', language: 'auto' });
    expect(made.body.variables).toEqual(['产品', 'price', '折扣']);
    const r = await call(t.url, 'POST', `/api/templates/${made.body.id}/render`, { variables: { 产品: '手机', price: 2999, 折扣: '20%' } });
    expect(r.status, r.text).toBe(202);
    expect(r.body.language).toBe('zh');
    const s = await done(t.url, r.body.task_id);
    expect(s.input_text).toBe('这款手机售价2999元，比去年便宜了20%。');
    expect(s.normalized_text).toContain('两千九百九十九');
    expect(s.normalized_text).toContain('百分之二十');
  });

  it('fills batch rows from a template, and refuses a row with a missing or extra variable before anything is queued', async () => {
    const { t } = await gateway({}, { slots: 2 });
    const tpl = (await call(t.url, 'POST', '/api/templates', { name: 'Row', script: 'Dear {{name}}, your {{item}} ships {{day}}.', captions: 'burn' })).body;
    const before = (await t.gw.store.list({ limit: 500, offset: 0 })).total;
    const csvBad = 'name,item,day\r\nAnn,lamp,Monday\r\nBob,,Tuesday\r\nCy,desk,Friday\r\n';
    const bad = await call(t.url, 'POST', `/api/batches?template_id=${tpl.id}`, csvBad);
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: 'template_variables', invalid_rows: 1 });
    expect(bad.body.errors).toEqual([expect.objectContaining({ row: 2, line: 3, field: 'item', code: 'variable_missing' })]);
    const extra = await call(t.url, 'POST', '/api/batches', { template_id: tpl.id, rows: [{ variables: { name: 'A', item: 'b', day: 'c', colour: 'red' } }] });
    expect(extra.body.errors).toEqual([expect.objectContaining({ row: 1, field: 'colour', code: 'variable_extra' })]);
    expect((await t.gw.store.list({ limit: 500, offset: 0 })).total).toBe(before);

    const ok = await call(t.url, 'POST', `/api/batches?template_id=${tpl.id}`, 'name,item,day\r\nAnn,lamp,Monday\r\nBob,chair,Tuesday\r\n');
    expect(ok.status, ok.text).toBe(202);
    const b = await waitFor(async () => {
      const v = (await call(t.url, 'GET', `/api/batches/${ok.body.batch_id}`)).body;
      return v.status === 'completed' ? v : undefined;
    }, 30_000);
    expect(b.rows.map((r: Body) => r.metadata)).toEqual([{ name: 'Ann', item: 'lamp', day: 'Monday' }, { name: 'Bob', item: 'chair', day: 'Tuesday' }]);
    const s = (await call(t.url, 'GET', `/api/status/${b.rows[1].task_id}`)).body;
    expect(s).toMatchObject({ input_text: 'Dear Bob, your chair ships Tuesday.', template_id: tpl.id, template_version: 1 });
    expect((await t.gw.store.get(b.rows[1].task_id))?.captions).toBe('burn');
  });
});

describe('usage per key', () => {
  it('sums each key\u2019s tasks by key and by day (CSV too), shows only the caller\u2019s own, and enforces a monthly budget that rolls with the month', async () => {
    let now = Date.UTC(2026, 11, 30, 12);
    const clock = { now: () => now };
    const { t, tokens } = await gateway(
      { auth: { enabled: true }, rateLimit: { submitsPerMinutePerKey: 0 } },
      { keys: { alice: ['submit', 'read'], bob: ['submit', 'read'], admin: ['admin'] }, overrides: { clock } },
    );
    const [alice, bob, admin] = [bearer(tokens.alice), bearer(tokens.bob), bearer(tokens.admin)];
    const aliceId = tokens.alice.split('_')[1];
    // the scripted engines make 1 s of speech (and video) per task; a budget of 2.5 s
    await t.gw.usage.store.setBudget(aliceId, { maxVideoSecondsPerMonth: 2.5, maxGpuSecondsPerMonth: null }, now);
    const submit = (h: Record<string, string>) => call(t.url, 'POST', '/api/generate', { text: 'Hello there.' }, h);
    for (const h of [alice, alice, bob]) {
      const r = await submit(h);
      expect(r.status, r.text).toBe(202);
      await done(t.url, r.body.task_id, h);
    }
    const tasks = (await t.gw.store.list({ limit: 50, offset: 0 })).items;
    const own = (owner: string) => tasks.filter((x) => x.owner === owner);
    const gpu = (xs: typeof tasks) => xs.reduce((a, x) => a + ((x.ttsEndedAt ?? 0) - (x.ttsStartedAt ?? 0) + (x.renderEndedAt ?? 0) - (x.renderStartedAt ?? 0)) / 1000, 0);
    const video = (xs: typeof tasks) => xs.reduce((a, x) => a + (x.audioDurationSec ?? 0), 0);
    await waitFor(async () => (await call(t.url, 'GET', '/api/usage', undefined, admin)).body.total?.videos === 3);

    const all = (await call(t.url, 'GET', '/api/usage?group_by=key', undefined, admin)).body;
    const byKey = Object.fromEntries(all.items.map((i: Body) => [i.key_id, i]));
    expect(byKey[aliceId]).toMatchObject({ key_name: 'alice', videos: 2, video_seconds: video(own(aliceId)) });
    expect(byKey[aliceId].gpu_seconds).toBeCloseTo(gpu(own(aliceId)), 3);
    expect(all.total.video_seconds).toBe(video(tasks));
    // a key sees only its own
    const mine = (await call(t.url, 'GET', '/api/usage', undefined, alice)).body;
    expect(mine.items.map((i: Body) => i.key_id)).toEqual([aliceId]);
    const days = (await call(t.url, 'GET', '/api/usage?group_by=day&from=2026-12-01&to=2027-01-01', undefined, admin)).body;
    expect(days.items).toEqual([expect.objectContaining({ day: '2026-12-30', videos: 3 })]);
    const csv = await call(t.url, 'GET', '/api/usage?group_by=day', undefined, { ...admin, accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toBe('day,video_seconds,gpu_seconds,tts_seconds,render_seconds,videos');
    expect(csv.text.split('\r\n')[1]).toMatch(/^2026-12-30,3,[\d.]+,[\d.]+,[\d.]+,3$/);
    const byKeyCsv = (await call(t.url, 'GET', '/api/usage?group_by=key&format=csv', undefined, admin)).text.split('\r\n');
    expect(byKeyCsv[0]).toBe('key_id,key_name,video_seconds,gpu_seconds,tts_seconds,render_seconds,videos');
    expect(byKeyCsv).toContainEqual(expect.stringMatching(new RegExp(`^${aliceId},alice,`)));

    const me = (await call(t.url, 'GET', '/api/usage/me', undefined, alice)).body;
    expect(me).toMatchObject({ key_id: aliceId, budget: { max_video_seconds_per_month: 2.5, max_gpu_seconds_per_month: null }, left: { video_seconds: 0.5, gpu_seconds: null } });
    // ~0.8 s more would cross 2.5 s: refused with what is left, nothing queued
    const refused = await submit(alice);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'budget_exceeded', budget: 'video', left: { video_seconds: 0.5 }, resets_at: '2027-01-01T00:00:00.000Z' });
    expect((await t.gw.store.list({ limit: 50, offset: 0 })).total).toBe(3);
    // a batch that would cross it is refused whole; bob has no budget
    expect((await call(t.url, 'POST', '/api/batches', { rows: [{ text: 'One.' }, { text: 'Two.' }] }, alice)).body.code).toBe('budget_exceeded');
    expect((await submit(bob)).status).toBe(202);
    // the month rolls (UTC): accepted again
    now = Date.UTC(2027, 0, 1, 0, 0, 1);
    const next = await submit(alice);
    expect(next.status, next.text).toBe(202);
    expect((await call(t.url, 'GET', '/api/usage/me', undefined, alice)).body.month).toEqual({ from: '2027-01-01T00:00:00.000Z', to: '2027-02-01T00:00:00.000Z' });
  });
});
