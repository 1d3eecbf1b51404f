/**
 * Operating the gateway (docs/operations.md): honest health (live, ready, `starting` until the
 * first probe), request/header/body timeouts against a raw socket, trustProxy with auth
 * through a proxy and per-IP limits on the real client, and /api/stats scoped per key.
 */
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { HealthMonitor } from '../src/maintenance/health.js';
import { waitFor } from './helpers/gateway.js';
import { bearer, scriptedGatewaysClosedAfterEach } from './helpers/scripted.js';

const gateway = scriptedGatewaysClosedAfterEach();

/** A manually opened gate: health probes wait on it. */
function gate() {
  let open!: () => void;
  const p = new Promise<void>((r) => (open = r));
  return { wait: () => p, open };
}

describe('health', () => {
  it('says starting (503) until the first probe settles, then healthy; live answers throughout', async () => {
    const g = gate();
    const { t } = await gateway({}, { slots: 2 });
    // Replace the probe with one that blocks until the gate opens, then start the "first" probe.
    for (const r of t.gw.scheduler.runners) {
      (r.engines.speech as { health: () => Promise<boolean> }).health = async () => (await g.wait(), true);
    }
    const monitor = new HealthMonitor({
      store: t.gw.store,
      slots: () => t.gw.scheduler.runners,
      disk: t.gw.health.disk,
      probeAll: () => t.gw.scheduler.probeAll(),
    });
    (t.gw as { health: unknown }).health = monitor;
    void monitor.startProbe();
    const inject = t.app.inject.bind(t.app);
    const starting = await inject({ url: '/api/health' });
    expect(starting.statusCode).toBe(503);
    expect(starting.json()).toMatchObject({ status: 'starting', service: 'heygem-gateway', ready: false });
    expect(typeof starting.json().timestamp).toBe('string');
    expect((await inject({ url: '/api/health/ready' })).statusCode).toBe(503);
    expect((await inject({ url: '/api/health/live' })).json()).toMatchObject({ status: 'live' });
    g.open();
    await monitor.settled();
    const healthy = await inject({ url: '/api/health' });
    expect(healthy.statusCode).toBe(200);
    expect(healthy.json()).toMatchObject({ status: 'healthy', service: 'heygem-gateway', healthy_slots: 2, ready: true, store: { ok: true }, disk: { ok: true } });
    expect((await inject({ url: '/api/health/ready' })).json()).toMatchObject({ status: 'ready', reasons: [] });
  });

  it('reports unhealthy slots, a full disk and an unreachable store with reasons', async () => {
    const { t } = await gateway({}, { slots: 2 });
    await t.gw.health.settled();
    const inject = t.app.inject.bind(t.app);
    (t.gw.scheduler.runners[1].engines.video as { health: () => Promise<boolean> }).health = async () => false;
    await t.gw.scheduler.probeAll();
    const degraded = (await inject({ url: '/api/health' })).json();
    expect(degraded).toMatchObject({ status: 'degraded', healthy_slots: 1, ready: true });
    expect(degraded.reasons).toContain('slot 1 unhealthy');
    (t.gw.scheduler.runners[0].engines.video as { health: () => Promise<boolean> }).health = async () => false;
    await t.gw.scheduler.probeAll();
    const down = await inject({ url: '/api/health/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.json().reasons).toContain('no healthy slot');
    expect((await inject({ url: '/api/health' })).json().status).toBe('unhealthy');
    expect((await inject({ url: '/api/health/live' })).statusCode).toBe(200);
  });

  it('is not ready when the disk has less than limits.minFreeDiskBytes free', async () => {
    const { t } = await gateway({ limits: { minFreeDiskBytes: Number.MAX_SAFE_INTEGER } });
    await t.gw.health.settled();
    const r = await t.app.inject({ url: '/api/health/ready' });
    expect(r.statusCode).toBe(503);
    expect(r.json().reasons.join(' ')).toMatch(/^disk: \d+ bytes free, at least \d+ required/);
    const h = (await t.app.inject({ url: '/api/health' })).json();
    expect(h).toMatchObject({ status: 'degraded', disk: { ok: false, min_free_bytes: Number.MAX_SAFE_INTEGER } });
  });
});

/** Write raw bytes and collect whatever comes back until the server closes the socket. */
function rawExchange(url: string, chunks: string[]): { socket: Socket; closed: Promise<string> } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let got = '';
  socket.on('data', (d) => (got += d.toString('latin1')));
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(got)));
  socket.on('error', () => undefined); // a reset after the 408 is fine
  socket.once('connect', () => chunks.forEach((c) => socket.write(c)));
  return { socket, closed };
}

describe('request timeouts', () => {
  const server = { headersTimeoutMs: 300, requestTimeoutMs: 800, connectionTimeoutMs: 5000, timeoutCheckIntervalMs: 50 };

  it('cuts a client that never finishes its headers (slowloris)', async () => {
    const { t } = await gateway({ server });
    const { closed } = rawExchange(t.url, ['GET /api/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ']);
    expect(await closed).toMatch(/^HTTP\/1\.1 408/);
    expect((await fetch(`${t.url}/api/health/live`)).status).toBe(200);
  });

  it('cuts an upload whose body stalls, and the process keeps serving', async () => {
    const { t } = await gateway({ server });
    const boundary = 'xBOUNDARYx';
    const head = `POST /api/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 100000\r\n\r\n`;
    const part = `--${boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\nhello\r\n--${boundary}\r\nContent-Disposition: form-data; name="video"; filename="a.mp4"\r\nContent-Type: video/mp4\r\n\r\n0000`;
    const { closed } = rawExchange(t.url, [head, part]);
    expect(await closed).toMatch(/^HTTP\/1\.1 408/);
    expect((await fetch(`${t.url}/api/health/live`)).status).toBe(200);
    // No task was created from the cut request, and no upload is left behind.
    expect((await t.gw.store.list({ limit: 10 })).total).toBe(0);
    await waitFor(async () => (await import('node:fs/promises')).readdir(t.gw.paths.uploads).then((f) => f.length === 0));
  });
});

describe('behind a reverse proxy', () => {
  const viaProxy = (client: string, token?: string) => ({
    method: 'POST' as const,
    url: '/api/generate',
    remoteAddress: '127.0.0.1',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': client, ...(token ? bearer(token) : {}) },
    payload: JSON.stringify({ text: 'hello' }),
  });

  it('auth auto: a request through a trusted proxy needs a key; per-IP limits see the real client', async () => {
    const { t, tokens } = await gateway(
      { server: { trustProxy: ['127.0.0.1'] }, rateLimit: { submitsPerMinutePerIp: 1, submitsPerMinutePerKey: 0 } },
      { keys: { app: ['submit', 'read'] } },
    );
    const inject = t.app.inject.bind(t.app);
    const anon = await inject(viaProxy('203.0.113.7'));
    expect(anon.statusCode).toBe(401);
    expect(anon.json()).toMatchObject({ code: 'auth_required' });
    expect(anon.json().error).toMatch(/reverse proxy/);
    expect((await inject(viaProxy('203.0.113.7', tokens.app))).statusCode).toBe(202);
    const again = await inject(viaProxy('203.0.113.7', tokens.app));
    expect(again.statusCode).toBe(429); // the same client through the proxy: one bucket
    expect((await inject(viaProxy('203.0.113.8', tokens.app))).statusCode).toBe(202); // another client: its own
    // The local operator (no proxy header) still needs no key on a loopback listener.
    const local = await inject({ method: 'POST', url: '/api/generate', remoteAddress: '127.0.0.1', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ text: 'local' }) });
    expect(local.statusCode).toBe(202);
    // Health stays public for the proxy's checks.
    expect((await inject({ url: '/api/health/live', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.7' } })).statusCode).toBe(200);
  });

  it('without trustProxy a forwarded request still needs a key, but limits see only the proxy', async () => {
    const { t, tokens } = await gateway({ rateLimit: { submitsPerMinutePerIp: 1, submitsPerMinutePerKey: 0 } }, { keys: { app: ['submit', 'read'] } });
    const inject = t.app.inject.bind(t.app);
    expect((await inject(viaProxy('203.0.113.7'))).statusCode).toBe(401);
    // req.ip is the proxy (loopback, exempt): no per-IP limit applies to forwarded clients.
    expect((await inject(viaProxy('203.0.113.7', tokens.app))).statusCode).toBe(202);
    expect((await inject(viaProxy('203.0.113.7', tokens.app))).statusCode).toBe(202);
  });

  it('a hop count trusts the nearest proxies only', async () => {
    const { t, tokens } = await gateway({ server: { trustProxy: 1 }, rateLimit: { submitsPerMinutePerIp: 1, submitsPerMinutePerKey: 0 } }, { keys: { app: ['submit'] } });
    const inject = t.app.inject.bind(t.app);
    // A client-supplied first entry is ignored: the proxy appended the real address last.
    expect((await inject(viaProxy('198.51.100.1, 203.0.113.9', tokens.app))).statusCode).toBe(202);
    expect((await inject(viaProxy('198.51.100.2, 203.0.113.9', tokens.app))).statusCode).toBe(429);
  });
});

describe('GET /api/stats scoping', () => {
  it('a non-admin key sees only its own tasks; an admin sees all', async () => {
    const { t, tokens } = await gateway({ auth: { enabled: true }, rateLimit: { submitsPerMinutePerKey: 0 } }, { keys: { alice: ['submit', 'read'], bob: ['submit', 'read'], root: ['admin'] } });
    const inject = t.app.inject.bind(t.app);
    const post = (token: string) => inject({ method: 'POST', url: '/api/generate', headers: { 'content-type': 'application/json', ...bearer(token) }, payload: JSON.stringify({ text: 'hi' }) });
    const ids: string[] = [];
    for (const who of ['alice', 'alice', 'bob']) ids.push((await post(tokens[who])).json().task_id as string);
    await waitFor(async () => (await Promise.all(ids.map((id) => t.gw.store.get(id)))).every((x) => x?.state === 'completed'));
    const stats = async (who: string) => (await inject({ url: '/api/stats', headers: bearer(tokens[who]) })).json() as { scope: string; totals: { completed: number } };
    expect(await stats('alice')).toMatchObject({ scope: 'own', totals: { completed: 2 } });
    expect(await stats('bob')).toMatchObject({ scope: 'own', totals: { completed: 1 } });
    expect(await stats('root')).toMatchObject({ scope: 'all', totals: { completed: 3 } });
  });
});
