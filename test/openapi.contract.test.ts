/**
 * The OpenAPI document at /docs/json is a valid OpenAPI 3 document that says everything a
 * client needs (request bodies, every answer, security), and the live API keeps to it: a small
 * typed client validates every response it gets against the documented schema of that route
 * and status (ajv), as a client generated from the spec would assume.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from './helpers/gateway.js';
import { waitFor } from './helpers/gateway.js';
import { bearer, scriptedGateway } from './helpers/scripted.js';

type Json = Record<string, any>;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let t: TestGateway;
let tokens: Record<string, string>;
let doc: Json;

beforeAll(async () => {
  ({ t, tokens } = await scriptedGateway(
    { auth: { enabled: true }, rateLimit: { submitsPerMinutePerKey: 0 }, limits: { maxTextChars: 200 } },
    { slots: 2, keys: { alice: ['submit', 'read'], reader: ['read'], root: ['admin'] }, script: { renderMs: 20 } },
  ));
  const res = await t.app.inject({ url: '/docs/json' });
  expect(res.statusCode).toBe(200);
  doc = res.json();
});
afterAll(async () => t?.close());

const API_PATH = /^\/(api\/|outputs\/|metrics$)/;
const operations = (): Array<[string, string, Json]> =>
  Object.entries(doc.paths as Json).flatMap(([path, item]) => Object.entries(item as Json).map(([method, op]) => [path, method, op as Json] as [string, string, Json]));

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3 document', async () => {
    expect(String(doc.openapi)).toMatch(/^3\.\d+\.\d+$/);
    const result = await new Validator().validate(structuredClone(doc));
    expect(result.errors ?? [], JSON.stringify(result.errors)?.slice(0, 2000)).toEqual([]);
    expect(result.valid).toBe(true);
    // the validator does reject a broken document (an answer without its required description)
    const broken = structuredClone(doc);
    delete broken.paths['/api/info'].get.responses['200'].description;
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('documents every answer of every API route (no default-only responses)', () => {
    const ops = operations().filter(([path]) => API_PATH.test(path));
    expect(ops.length).toBeGreaterThanOrEqual(14);
    const problems: string[] = [];
    for (const [path, method, op] of ops) {
      const codes = Object.keys(op.responses ?? {});
      if (!codes.some((c) => /^2\d\d$/.test(c))) problems.push(`${method} ${path}: no documented success`);
      if (codes.includes('default')) problems.push(`${method} ${path}: default response`);
      for (const [code, r] of Object.entries(op.responses as Json)) {
        if (!r.description || r.description === 'Default Response') problems.push(`${method} ${path} ${code}: no description`);
        if (!r.content || !Object.keys(r.content).length) problems.push(`${method} ${path} ${code}: no content`);
      }
      if (!Array.isArray(op.security)) problems.push(`${method} ${path}: no security`);
      if (op.security?.length && !(op.responses['401'] && op.responses['403'])) problems.push(`${method} ${path}: secured but 401/403 undocumented`);
    }
    expect(problems).toEqual([]);
  });

  it('declares bearer auth, access_token on the browser-loaded routes, public health/info', () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.accessToken).toMatchObject({ type: 'apiKey', in: 'query', name: 'access_token' });
    expect(doc.paths['/api/generate'].post.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/api/status/{id}'].get.security).toEqual([{ bearerAuth: [] }]);
    for (const p of ['/api/download/{id}', '/outputs/{file}', '/api/events']) expect(doc.paths[p].get.security).toEqual([{ bearerAuth: [] }, { accessToken: [] }]);
    expect(doc.paths['/api/health'].get.security).toEqual([]);
    expect(doc.paths['/api/info'].get.security).toEqual([]);
  });

  it('documents the three request bodies of /api/generate so Try-it-out can upload', () => {
    const body = doc.paths['/api/generate'].post.requestBody;
    expect(Object.keys(body.content).sort()).toEqual(['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']);
    expect(body.content['multipart/form-data'].schema.properties.video).toMatchObject({ type: 'string', format: 'binary' });
    expect(body.content['multipart/form-data'].schema.required).toEqual(['text']);
    expect(body.content['application/x-www-form-urlencoded'].schema.properties.text.type).toBe('string');
    // the binary file routes say what they send
    expect(Object.keys(doc.paths['/api/download/{id}'].get.responses['200'].content)).toEqual(['video/mp4', 'video/webm']);
  });
});

/** A client that checks every answer against the spec before handing it back. */
function specClient() {
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  ajv.addFormat('binary', true);
  const cache = new Map<string, ValidateFunction>();
  const routes = operations().map(([path, method, op]) => ({ re: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`), path, method, op }));
  const checked: string[] = [];
  return {
    checked,
    async call(method: string, url: string, opts: { headers?: Record<string, string>; payload?: string | Buffer } = {}): Promise<{ status: number; json: Json; type: string }> {
      const res = await t.app.inject({ method: method as 'GET', url, headers: opts.headers, payload: opts.payload });
      const path = url.split('?')[0];
      const route = routes.find((r) => r.method === method.toLowerCase() && r.re.test(path));
      expect(route, `${method} ${path} is not in the spec`).toBeDefined();
      const answer = route!.op.responses[String(res.statusCode)];
      expect(answer, `${method} ${route!.path} answered ${res.statusCode}, which is not documented: ${res.body.slice(0, 300)}`).toBeDefined();
      const type = String(res.headers['content-type'] ?? '').split(';')[0];
      expect(Object.keys(answer.content), `${method} ${route!.path} ${res.statusCode}: content type`).toContain(type);
      let json: Json = {};
      if (type === 'application/json') {
        json = res.json();
        const key = `${route!.method} ${route!.path} ${res.statusCode}`;
        if (!cache.has(key)) cache.set(key, ajv.compile(answer.content['application/json'].schema));
        const validate = cache.get(key)!;
        expect(validate(json), `${key}: ${ajv.errorsText(validate.errors)} in ${res.body.slice(0, 500)}`).toBe(true);
        checked.push(key);
      }
      return { status: res.statusCode, json, type };
    },
  };
}

describe('live answers match the documented schemas', () => {
  it('the main routes, their errors and auth failures', async () => {
    const c = specClient();
    const a = bearer(tokens.alice);
    const form = (text: string) => ({ headers: { ...a, 'content-type': 'application/x-www-form-urlencoded' }, payload: `text=${encodeURIComponent(text)}` });
    const boundary = 'XBOUNDARY';
    const multipart = (text: string) => ({
      headers: { ...a, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\n${text}\r\n--${boundary}--\r\n`,
    });
    const json = (body: unknown) => ({ headers: { ...a, 'content-type': 'application/json' }, payload: JSON.stringify(body) });

    // generate in all three encodings, and its errors
    const ids: string[] = [];
    for (const opts of [form('Hello form.'), multipart('Hello multipart.'), json({ text: 'Hello JSON.' })]) {
      const r = await c.call('POST', '/api/generate', opts);
      expect(r.status).toBe(202);
      ids.push(String(r.json.task_id));
    }
    expect((await c.call('POST', '/api/generate', form(''))).json.code).toBe('text_missing');
    expect((await c.call('POST', '/api/generate', json({ text: 'x'.repeat(201) }))).json.code).toBe('text_too_long');
    expect((await c.call('POST', '/api/generate', { headers: { ...a, 'content-type': 'text/csv' }, payload: 'text' })).status).toBe(415);
    expect((await c.call('POST', '/api/generate', { headers: { 'content-type': 'application/json' }, payload: '{"text":"x"}' })).status).toBe(401);
    expect((await c.call('POST', '/api/generate', { ...json({ text: 'x' }), headers: { ...bearer(tokens.reader), 'content-type': 'application/json' } })).status).toBe(403);

    // status while queued or running, then completed; unknown id
    const early = await c.call('GET', `/api/status/${ids[2]}`, { headers: a });
    expect(early.status).toBe(200);
    await waitFor(async () => (await Promise.all(ids.map((id) => t.gw.store.get(id)))).every((x) => x?.state === 'completed'));
    const done = await c.call('GET', `/api/status/${ids[0]}`, { headers: a });
    expect(done.json).toMatchObject({ status: 'completed', vimeo_uploaded: false, vimeo_url: null, vimeo_upload_time: null });
    expect((await c.call('GET', '/api/status/01zzzzzzzzzzzzzzzzzzzzzzzz', { headers: a })).json).toMatchObject({ status: 'not_found' });

    // lists, actions, farm, system
    expect((await c.call('GET', '/api/tasks?limit=2', { headers: a })).json.tasks).toHaveLength(2);
    expect((await c.call('GET', '/api/tasks?limit=0', { headers: a })).status).toBe(400);
    expect((await c.call('POST', `/api/tasks/${ids[0]}/cancel`, { headers: a })).status).toBe(409);
    expect((await c.call('POST', `/api/tasks/${ids[0]}/retry`, { headers: a })).status).toBe(409);
    const q = await c.call('GET', '/api/queue', { headers: a });
    expect(Object.keys(q.json.gpus)).toEqual(['0', '1']);
    expect((await c.call('GET', '/api/queue')).status).toBe(401);
    await c.call('GET', '/api/info');
    await c.call('GET', '/api/health');
    expect((await c.call('POST', '/api/normalize', json({ text: 'It costs $5.' }))).json.normalized).toContain('dollars');
    expect((await c.call('POST', '/api/normalize', json({}))).status).toBe(400);
    await c.call('GET', '/api/stats', { headers: bearer(tokens.root) });
    const dl = await c.call('GET', `/api/download/${ids[0]}`, { headers: a });
    expect(dl).toMatchObject({ status: 200, type: 'video/mp4' });
    expect((await c.call('GET', `/metrics`, { headers: bearer(tokens.reader) })).status).toBe(403);

    expect(c.checked.length).toBeGreaterThanOrEqual(20);
  });
});
