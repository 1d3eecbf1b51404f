/**
 * Webhooks end to end on a gateway with scripted engines: a receiver on loopback (allowlisted)
 * verifies signatures, answers 500 twice and sees the retries, gets a redelivery by hand, sees
 * both signatures during a secret rotation; per-key endpoints see only their key's tasks and
 * chosen events; private targets are refused at registration and, after DNS changed, at delivery.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, scriptedGatewaysClosedAfterEach } from './helpers/scripted.js';
import { waitFor } from './helpers/wait.js';
import { startReceiver, type Receiver } from './helpers/webhook-receiver.js';

const scriptedGateway = scriptedGatewaysClosedAfterEach();
const receivers: Receiver[] = [];
afterEach(async () => {
  while (receivers.length) await receivers.pop()!.close();
});

const SECRET = 'deployment-secret-for-tests-0123456789';
const FAST = { secret: SECRET, allowedHosts: ['127.0.0.1'], retryBaseDelayMs: 50, retryMaxDelayMs: 200, pollIntervalMs: 50, timeoutMs: 5000 };

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

type Json = Record<string, any>;
async function call(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

describe('per-task callback_url', () => {
  it('signed with the deployment secret; retried after two 500s; every attempt logged; redelivered by hand', async () => {
    const rx = await receiver();
    rx.script.push(500, 500);
    const { t } = await scriptedGateway({ webhooks: FAST });
    const sub = await call(t.url, 'POST', '/api/generate', { text: 'Call me back.', callback_url: rx.url });
    expect(sub.status).toBe(202);
    const id = sub.json.task_id as string;
    await waitFor(async () => rx.received.length >= 3, 30_000);
    const [a, b, c] = rx.received;
    for (const r of rx.received) expect(rx.verified(r, SECRET)).toBe(true);
    expect(rx.verified(a, 'some-other-secret-0123456789')).toBe(false);
    // One event, three attempts of the same body.
    expect(new Set([a.body, b.body, c.body]).size).toBe(1);
    expect(a.json).toMatchObject({ event_type: 'task.completed', task_id: id, status: 'completed', result_url: `/outputs/${id}.mp4` });
    expect(String(a.json.event_id)).toMatch(/^evt_/);
    expect(a.headers['x-heygem-event-id']).toBe(a.json.event_id);
    // The status shape: the same keys GET /api/status has.
    const status = await call(t.url, 'GET', `/api/status/${id}`);
    for (const k of ['task_id', 'status', 'phase', 'progress', 'error', 'error_code', 'result_url', 'timing']) expect(a.json).toHaveProperty(k);
    expect(a.json.status).toBe(status.json.status);

    const log = await waitFor(async () => {
      const r = await call(t.url, 'GET', `/api/tasks/${id}/webhooks`);
      return r.json.deliveries?.[0]?.state === 'delivered' ? r.json.deliveries : null;
    });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ endpoint_id: null, url: rx.url, attempts: 3, last_status: 200, event_type: 'task.completed' });
    expect(log[0].attempt_log.map((x: Json) => x.status)).toEqual([500, 500, 200]);
    expect(log[0].attempt_log[0].error).toMatch(/HTTP 500/);

    const again = await call(t.url, 'POST', `/api/webhooks/deliveries/${log[0].id}/redeliver`);
    expect(again.status).toBe(202);
    await waitFor(async () => rx.received.length >= 4);
    expect(rx.received[3].body).toBe(a.body);
    expect(rx.verified(rx.received[3], SECRET)).toBe(true);
    await waitFor(async () => (await call(t.url, 'GET', `/api/tasks/${id}/webhooks`)).json.deliveries[0].attempt_log.length === 4);
    expect((await call(t.url, 'POST', '/api/webhooks/deliveries/dlv_nope/redeliver')).status).toBe(404);
  }, 60_000);

  it('callback_url in all three encodings; refused targets and missing secret are 400s', async () => {
    const rx = await receiver();
    const { t } = await scriptedGateway({ webhooks: FAST });
    const form = await fetch(`${t.url}/api/generate`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `text=Form.&callback_url=${encodeURIComponent(rx.url)}` });
    expect(form.status).toBe(202);
    const fd = new FormData();
    fd.set('text', 'Multipart.');
    fd.set('callback_url', rx.url);
    const multi = await fetch(`${t.url}/api/generate`, { method: 'POST', body: fd });
    expect(multi.status).toBe(202);
    const ids = [((await form.json()) as Json).task_id, ((await multi.json()) as Json).task_id];
    await waitFor(async () => ids.every((id) => rx.received.some((r) => r.json.task_id === id)), 30_000);

    for (const bad of ['http://10.0.0.1/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:9/', 'http://100.64.1.1/']) {
      const r = await call(t.url, 'POST', '/api/generate', { text: 'x', callback_url: bad });
      expect(r.status, bad).toBe(400);
      expect(r.json.code).toBe('webhook_target_refused');
    }
    expect((await call(t.url, 'POST', '/api/generate', { text: 'x', callback_url: 'file:///etc/passwd' })).json.code).toBe('webhook_url_invalid');
    const { t: unsigned } = await scriptedGateway({ webhooks: { allowedHosts: ['127.0.0.1'] } });
    const r = await call(unsigned.url, 'POST', '/api/generate', { text: 'x', callback_url: rx.url });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/webhooks\.secret/);
  }, 60_000);
});

describe('per-key endpoints', () => {
  it('CRUD, own tasks and chosen events only, per-endpoint secret with rotation overlap', async () => {
    const rx = await receiver();
    const { t, tokens } = await scriptedGateway({ auth: { enabled: true }, webhooks: FAST }, { keys: { alice: ['submit', 'read'], bob: ['submit', 'read'] } });
    const alice = bearer(tokens.alice);
    const bob = bearer(tokens.bob);
    const created = await call(t.url, 'POST', '/api/webhooks', { url: rx.url, events: ['task.completed', 'task.canceled'], description: 'CMS' }, alice);
    expect(created.status).toBe(201);
    const ep = created.json;
    expect(ep).toMatchObject({ url: rx.url, events: ['task.completed', 'task.canceled'], enabled: true, description: 'CMS' });
    expect(String(ep.secret)).toMatch(/^whsec_/);
    expect((await call(t.url, 'GET', '/api/webhooks', undefined, alice)).json.webhooks.map((w: Json) => w.id)).toEqual([ep.id]);
    expect((await call(t.url, 'GET', '/api/webhooks', undefined, bob)).json.webhooks).toEqual([]);
    expect((await call(t.url, 'GET', `/api/webhooks/${ep.id}`, undefined, bob)).status).toBe(404);
    expect((await call(t.url, 'GET', `/api/webhooks/${ep.id}`, undefined, alice)).json).not.toHaveProperty('secret');
    expect((await call(t.url, 'POST', '/api/webhooks', { url: 'http://192.168.1.10/hook' }, alice)).json.code).toBe('webhook_target_refused');
    expect((await call(t.url, 'POST', '/api/webhooks', { url: rx.url, events: ['task.exploded'] }, alice)).status).toBe(400);

    const mine = (await call(t.url, 'POST', '/api/generate', { text: 'Alice speaks.' }, alice)).json.task_id;
    const theirs = (await call(t.url, 'POST', '/api/generate', { text: 'Bob speaks.' }, bob)).json.task_id;
    await waitFor(async () => rx.received.some((r) => r.json.task_id === mine), 30_000);
    expect(rx.verified(rx.received[0], ep.secret)).toBe(true);
    expect(rx.received[0].headers['x-heygem-event']).toBe('task.completed');
    const deliveries = await waitFor(async () => {
      const d = (await call(t.url, 'GET', `/api/webhooks/${ep.id}/deliveries`, undefined, alice)).json.deliveries;
      return d?.[0]?.state === 'delivered' ? d : null;
    });
    expect(deliveries.map((d: Json) => d.task_id)).toEqual([mine]);
    expect((await call(t.url, 'GET', `/api/webhooks/${ep.id}/deliveries`, undefined, bob)).status).toBe(404);

    // Rotation: the next delivery carries both signatures; each secret verifies it.
    const rotated = await call(t.url, 'PATCH', `/api/webhooks/${ep.id}`, { rotate_secret: true, overlap_seconds: 3600 }, alice);
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).not.toBe(ep.secret);
    expect(rotated.json.previous_secret_valid_until).toBeTruthy();
    const n = rx.received.length;
    const redo = await call(t.url, 'POST', `/api/webhooks/deliveries/${deliveries[0].id}/redeliver`, undefined, alice);
    expect(redo.status).toBe(202);
    expect((await call(t.url, 'POST', `/api/webhooks/deliveries/${deliveries[0].id}/redeliver`, undefined, bob)).status).toBe(404);
    await waitFor(async () => rx.received.length > n);
    const r = rx.received[n];
    expect(String(r.headers['x-heygem-signature']).match(/v1=/g)).toHaveLength(2);
    expect(rx.verified(r, ep.secret)).toBe(true);
    expect(rx.verified(r, rotated.json.secret)).toBe(true);

    // Only task.failed: a completed task sends nothing more; disabled → nothing; deleted → gone.
    expect((await call(t.url, 'PATCH', `/api/webhooks/${ep.id}`, { events: ['task.failed'] }, alice)).json.events).toEqual(['task.failed']);
    const quiet = (await call(t.url, 'POST', '/api/generate', { text: 'Quiet.' }, alice)).json.task_id;
    await waitFor(async () => (await call(t.url, 'GET', `/api/status/${quiet}`, undefined, alice)).json.status === 'completed');
    expect((await call(t.url, 'DELETE', `/api/webhooks/${ep.id}`, undefined, alice)).status).toBe(200);
    expect((await call(t.url, 'GET', `/api/webhooks/${ep.id}`, undefined, alice)).status).toBe(404);
    expect(rx.received.every((x) => x.json.task_id !== theirs && x.json.task_id !== quiet)).toBe(true);
  }, 60_000);
});

describe('SSRF at delivery time', () => {
  it('a name that resolved to a public address at registration and to loopback later is refused when sending', async () => {
    const rx = await receiver();
    const port = Number(new URL(rx.url).port);
    const answers: Record<string, string> = { 'hooks.example.test': '93.184.216.34' };
    const resolver = async (h: string) => (answers[h] ? [{ address: answers[h], family: 4 }] : Promise.reject(Object.assign(new Error('no'), { code: 'ENOTFOUND' })));
    const { t } = await scriptedGateway({ webhooks: { ...FAST, allowedHosts: [] } }, { overrides: { webhookResolver: resolver } });
    // localhost (a name resolving to loopback) is refused when not allowlisted
    expect((await call(t.url, 'POST', '/api/webhooks', { url: `http://localhost:${port}/hook` })).json.code).toBe('webhook_target_refused');
    const ep = await call(t.url, 'POST', '/api/webhooks', { url: `http://hooks.example.test:${port}/hook` });
    expect(ep.status).toBe(201);
    answers['hooks.example.test'] = '127.0.0.1'; // DNS rebinding
    const id = (await call(t.url, 'POST', '/api/generate', { text: 'Rebind me.' })).json.task_id;
    const d = await waitFor(async () => {
      const r = (await call(t.url, 'GET', `/api/tasks/${id}/webhooks`)).json.deliveries;
      return r?.[0]?.state === 'failed' ? r[0] : null;
    }, 30_000);
    expect(d.last_error).toMatch(/loopback/);
    expect(d.attempt_log).toHaveLength(1);
    expect(rx.received).toHaveLength(0);
  }, 60_000);
});
