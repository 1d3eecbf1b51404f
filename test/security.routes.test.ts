/**
 * Security regression suite: every protected route of the OpenAPI document (and every static
 * prefix), through a list of path spellings, with no key, a key of the wrong scope, another
 * key and a runner token. Any 2xx/3xx where the answer must be a refusal fails the suite.
 * The route table is read from the running gateway, so a new route is covered by itself.
 * Requests go over a real socket with the path exactly as written (`curl --path-as-is`).
 * Threat model: docs/security.md.
 */
import { request } from 'node:http';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceVideoWithAudio } from './helpers/fixtures.js';
import { waitFor } from './helpers/gateway.js';
import { scriptedGateway } from './helpers/scripted.js';
import type { TestGateway } from './helpers/gateway.js';

type Json = Record<string, any>;
interface Answer { status: number; body: string }

let t: TestGateway;
let tokens: Record<string, string>;
let port = 0;
/** Alice's resources, by the parameter name a route uses for them. */
const own: Record<string, string> = {};

function send(method: string, path: string, token?: string, body?: string, contentType = 'application/json'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = contentType;
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      // A stream that opened (SSE) is an answer: read its status, never wait for its end.
      if ((res.headers['content-type'] ?? '').includes('text/event-stream')) {
        res.destroy();
        return resolve({ status: res.statusCode ?? 0, body: '' });
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.setTimeout(20_000, () => req.destroy(new Error(`no answer: ${method} ${path}`)));
    req.on('error', reject);
    req.end(body);
  });
}

async function upload(path: string, field: string, file: string, name: string, token: string): Promise<Json> {
  const form = new FormData();
  form.set('name', name);
  form.set(field, new Blob([new Uint8Array(await readFile(file))]), `${name}.mp4`);
  const res = await fetch(`${t.url}${path}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(201);
  return (await res.json()) as Json;
}

beforeAll(async () => {
  ({ t, tokens } = await scriptedGateway(
    { auth: { enabled: true }, rateLimit: { submitsPerMinutePerKey: 0, submitsPerMinutePerIp: 0 }, webhooks: { secret: 's'.repeat(32), allowedHosts: ['127.0.0.1'] } },
    { realMedia: true, script: { renderMs: 5 }, keys: { alice: ['submit', 'read'], bob: ['submit', 'read'], reader: ['read'], submitter: ['submit'], root: ['admin'], runner1: ['runner'] } },
  ));
  port = Number(new URL(t.url).port);
  const post = async (path: string, body: Json) => {
    const r = await send('POST', path, tokens.alice, JSON.stringify(body));
    expect(r.status, `${path}: ${r.body}`).toBeLessThan(300);
    return JSON.parse(r.body) as Json;
  };
  own.task = (await post('/api/generate', { text: 'Alice speaks.' })).task_id;
  await waitFor(async () => (await t.gw.store.get(own.task))?.state === 'completed');
  own.batch = (await post('/api/batches', { rows: [{ text: 'Row one.' }] })).batch_id ?? '';
  own.webhook = (await post('/api/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['task.completed'] })).id;
  const face = await faceVideoWithAudio(2);
  own.avatar = (await upload('/api/avatars', 'video', face, 'alice-face', tokens.alice)).id;
  own.voice = (await post('/api/voices', { avatar_id: own.avatar, name: 'alice-voice' })).id;
  for (const [k, v] of Object.entries(own)) expect(v, k).toMatch(/^[0-9A-Za-z_]{8,40}$/);
}, 120_000);
afterAll(async () => t?.close());

interface RouteCase { method: string; template: string; path: string; scope: string; resource: string | null }

/** Every route of the OpenAPI document with a path that names Alice's resources. */
async function routeTable(): Promise<RouteCase[]> {
  const spec = (await (await fetch(`${t.url}/docs/json`)).json()) as Json;
  const out: RouteCase[] = [];
  for (const [template, ops] of Object.entries(spec.paths as Json)) {
    for (const [method, op] of Object.entries(ops as Json)) {
      const security = (op as Json).security as Json[] | undefined;
      const scope = !security?.length ? 'public' : security.some((s) => 'runnerToken' in s) ? 'runner' : (/`(\w+)` scope/.exec(String((op as Json).description)) ?? [])[1] ?? 'unknown';
      let resource: string | null = null;
      const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
        const kind = template.startsWith('/api/batches') ? 'batch' : template.startsWith('/api/webhooks') ? 'webhook' : template.startsWith('/api/avatars') ? 'avatar' : template.startsWith('/api/voices') ? 'voice' : 'task';
        if (name === 'file') return (resource = `${own.task}.mp4`), resource;
        if (name === 'name') return 'video';
        if (name === 'deliveryId') return '01kbxxxxxxxxxxxxxxxxxxxxxx';
        return (resource = own[kind]);
      });
      out.push({ method: method.toUpperCase(), template, path, scope, resource });
    }
  }
  return out;
}

/** The spellings of one path an attacker tries; each must reach the same answer or a refusal. */
export function spellings(path: string): string[] {
  const segs = path.split('/').slice(1);
  const out = new Set<string>([path]);
  const join = (s: string[]) => `/${s.join('/')}`;
  segs.forEach((seg, i) => {
    const letter = seg.search(/[a-z]/i);
    if (letter >= 0) {
      const hex = `%${seg.charCodeAt(letter).toString(16)}`;
      out.add(join(segs.map((s, j) => (j === i ? s.slice(0, letter) + hex + s.slice(letter + 1) : s))));
      out.add(join(segs.map((s, j) => (j === i ? s.slice(0, letter) + hex.toUpperCase() + s.slice(letter + 1) : s))));
    }
    out.add(join(segs.map((s, j) => (j === i ? `${s};x=1` : s))));
    out.add(join(segs.map((s, j) => (j === i ? s.toUpperCase() : s))));
    out.add(`/${segs.slice(0, i).concat('', segs.slice(i)).join('/')}`); // a doubled slash before segment i
    out.add(`/${segs.slice(0, i).concat('.', segs.slice(i)).join('/')}`);
    out.add(`/${segs.slice(0, i).concat('zz', '..', segs.slice(i)).join('/')}`);
  });
  if (segs.length > 1) out.add(`/${segs[0]}%2f${segs.slice(1).join('/')}`).add(`/${segs[0]}%2F${segs.slice(1).join('/')}`);
  out.add(`${path}/`).add(`${path}%00`).add(`/%c0%ae${path}`).add(`/${segs[0]}%c0%af${segs.slice(1).join('/')}`).add(`/${segs[0]}%e0%80%af${segs.slice(1).join('/')}`);
  out.add(`/${encodeURIComponent(segs[0]).replace(/[a-z]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)}/${segs.slice(1).join('/')}`);
  return [...out];
}

const refused = (a: Answer) => a.status >= 400;
const bodyFor = (method: string) => (method === 'GET' || method === 'HEAD' || method === 'DELETE' ? undefined : '{}');

describe('every protected route, every spelling', () => {
  it('reads a route table that holds every kind of route', async () => {
    const routes = await routeTable();
    const scopes = new Set(routes.map((r) => r.scope));
    for (const s of ['public', 'read', 'submit', 'admin', 'runner']) expect(scopes, s).toContain(s);
    expect(routes.filter((r) => r.scope === 'unknown')).toEqual([]);
    expect(routes.some((r) => r.template.startsWith('/outputs/'))).toBe(true);
    expect(routes.length).toBeGreaterThan(40);
  });

  it('refuses every spelling of every protected route without a key, with the wrong scope or a runner token', async () => {
    const wrongScope: Record<string, string> = { read: tokens.submitter, submit: tokens.reader, admin: tokens.alice, runner: tokens.alice };
    const failures: string[] = [];
    let tried = 0;
    for (const r of await routeTable()) {
      if (r.scope === 'public') continue;
      for (const p of spellings(r.path)) {
        const creds: Array<[string, string | undefined]> = [['no key', undefined], ['wrong scope', wrongScope[r.scope]]];
        if (r.scope !== 'runner') creds.push(['runner token', tokens.runner1]);
        for (const [who, token] of creds) {
          const a = await send(r.method, p, token, bodyFor(r.method));
          tried++;
          if (!refused(a)) failures.push(`${r.method} ${p} (${who}) → ${a.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(1000);
  }, 300_000);

  it('never gives another key what is Alice’s, however the path is spelled', async () => {
    const failures: string[] = [];
    for (const r of await routeTable()) {
      if (r.scope === 'public' || r.scope === 'runner' || r.scope === 'admin') continue;
      for (const p of spellings(r.path)) {
        const a = await send(r.method, p, tokens.bob, bodyFor(r.method));
        if (r.resource) {
          if (!refused(a)) failures.push(`${r.method} ${p} (bob) → ${a.status}`);
        } else if (a.status < 400 && Object.values(own).some((id) => a.body.includes(id))) {
          failures.push(`${r.method} ${p} (bob) → ${a.status} naming one of Alice's resources`);
        }
      }
    }
    expect(failures).toEqual([]);
    // and nothing of Alice's changed on the way
    expect((await t.gw.store.get(own.task))?.state).toBe('completed');
    const avatar = await send('GET', `/api/avatars/${own.avatar}`, tokens.alice);
    expect(avatar.status).toBe(200);
    expect(JSON.parse(avatar.body).shared).toBe(false);
  }, 300_000);

  it('answers a path made ambiguous in its first segment with 400 path_invalid, and serves the plain one', async () => {
    for (const p of ['/%61pi/tasks', '/%6futputs/x.mp4', '/%6detrics', '//api/tasks', '/API/tasks', '/api/../metrics', '/api/tasks%00']) {
      const a = await send('GET', p);
      expect(a.status, p).toBe(400);
      expect(JSON.parse(a.body), p).toMatchObject({ code: 'path_invalid' });
    }
    expect((await send('GET', '/api/tasks', tokens.alice)).status).toBe(200);
    expect((await send('GET', '/api//tasks/', tokens.alice)).status).toBe(200);
    expect((await send('GET', '/api/health')).status).toBe(200);
  });
});
