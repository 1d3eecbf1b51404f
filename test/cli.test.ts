/**
 * The CLI as a user runs it (`node bin/heygem-gateway.js …`, on the build): help on every
 * command, usage errors, where the client commands look for the gateway, and errors that name the
 * URL and the fix. The README's commands go through `npx heygem-gateway` and `npm run cli --`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteApiKeys } from '../src/security/api-keys.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';
import { freePort } from './helpers/process.js';

const COMMANDS = ['serve', 'keys', 'doctor', 'generate', 'tasks', 'worker', 'simulate'];
const CLEAN_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(HEYGEM_GATEWAY_|PORT$|HOST$|DATA_DIR$)/.test(k)));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], env: Record<string, string> = {}, file = process.execPath, pre = ['bin/heygem-gateway.js']): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, [...pre, ...args], { env: { ...CLEAN_ENV, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout: string; stderr: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('CLI help and usage', () => {
  it('lists every command', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
  });

  it.each(COMMANDS)('`%s --help` prints that command’s usage and exits 0', async (c) => {
    const r = await cli([c, '--help']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.startsWith(`Usage: heygem-gateway ${c}`)).toBe(true);
    expect(r.stdout).toContain('-h, --help');
  });

  it('`help generate` and `generate -h` are help too, even without the text', async () => {
    expect((await cli(['help', 'generate'])).stdout).toMatch(/^Usage: heygem-gateway generate/);
    expect(await cli(['generate', '-h'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: heygem-gateway generate/) });
  });

  it('wrong usage exits 2 with the command’s usage', async () => {
    const bogus = await cli(['tasks', '--bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain("Unknown option '--bogus'");
    expect(bogus.stderr).toContain('Usage: heygem-gateway tasks');
    const noText = await cli(['generate']);
    expect(noText.code).toBe(2);
    expect(noText.stderr).toContain('generate needs the text to speak');
    const badNumber = await cli(['tasks', '--limit', 'many']);
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toContain('--limit expects a number, got "many"');
    expect((await cli(['nonsense'])).code).toBe(2);
  });

  it('the README’s ways to run it from a clone work: npx heygem-gateway and npm run cli --', async () => {
    const npx = await cli(['--no-install', 'heygem-gateway', 'generate', '--help'], {}, 'npx', []);
    expect(npx).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: heygem-gateway generate') });
    const npm = await cli(['run', '--silent', 'cli', '--', 'tasks', '--help'], {}, 'npm', []);
    expect(npm).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: heygem-gateway tasks') });
  });
});

describe('CLI client commands find the gateway and explain failures', () => {
  let t: TestGateway;
  let locked: TestGateway;
  let token: string;
  beforeAll(async () => {
    t = await startTestGateway({ engine: 'preview' }, { log: pino({ level: 'silent' }) });
    const dir = mkdtempSync(join(tmpdir(), 'hg-cli-'));
    const keys = new SqliteApiKeys(join(dir, 'gateway.db')); // an authenticated server needs a key before it starts
    token = (await keys.create('cli-test', ['submit', 'read'])).token;
    await keys.close();
    locked = await startTestGateway({ engine: 'preview', auth: { enabled: true } }, { log: pino({ level: 'silent' }) }, dir);
  });
  afterAll(async () => {
    await t?.close();
    await locked?.close();
  });

  it('PORT alone reaches the gateway on this host', async () => {
    const r = await cli(['tasks'], { PORT: new URL(t.url).port });
    expect(r).toMatchObject({ code: 0, stdout: expect.stringContaining('0 of 0 tasks') });
  });

  it('HEYGEM_GATEWAY_URL beats PORT, and --url beats both', async () => {
    const dead = await freePort();
    expect(await cli(['tasks'], { HEYGEM_GATEWAY_URL: t.url, PORT: String(dead) })).toMatchObject({ code: 0 });
    const r = await cli(['tasks', '--url', `http://127.0.0.1:${dead}`], { HEYGEM_GATEWAY_URL: t.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot reach http://127.0.0.1:${dead}`);
  });

  it('a gateway that is not running: the error names the URL and how to start it', async () => {
    const dead = await freePort();
    const r = await cli(['generate', 'Hello there.'], { PORT: String(dead) });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `heygem-gateway generate: cannot reach http://127.0.0.1:${dead} (ECONNREFUSED) — is the gateway running? start it with \`npm start\` (or \`heygem-gateway serve\`), or point --url / HEYGEM_GATEWAY_URL at it\n`,
    );
    expect(r.stderr).not.toContain('fetch failed');
  });

  it('auth on: a missing key says how to pass one; --key and HEYGEM_GATEWAY_KEY work', async () => {
    const none = await cli(['tasks', '--url', locked.url]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`${locked.url}/api/tasks?limit=20 answered HTTP 401 auth_required`);
    expect(none.stderr).toContain('--key <token> or HEYGEM_GATEWAY_KEY');
    expect(await cli(['tasks', '--url', locked.url, '--key', token])).toMatchObject({ code: 0 });
    expect(await cli(['tasks'], { HEYGEM_GATEWAY_URL: locked.url, HEYGEM_GATEWAY_KEY: token })).toMatchObject({ code: 0 });
  });

  it('a missing --video file is named before anything is sent', async () => {
    const r = await cli(['generate', 'Hi.', '--video', '/nonexistent/face.mp4', '--url', t.url]);
    expect(r).toMatchObject({ code: 1, stderr: 'heygem-gateway generate: cannot read --video /nonexistent/face.mp4: no such file\n' });
    expect((await t.gw.store.queueSize())).toBe(0);
  });

  it('generate --language sends the language (a bad one is named); tasks lists it', async () => {
    const bad = await cli(['generate', '你好。', '--language', 'fr', '--url', t.url]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('language_invalid');
    const r = await cli(['generate', 'Hello, 世界。', '--language', 'zh', '--url', t.url, '-o', join(mkdtempSync(join(tmpdir(), 'hg-cli-')), 'zh.mp4')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^task \S+ \(language zh\)$/m);
    const list = await cli(['tasks', '--url', t.url]);
    expect(list.stdout).toMatch(/ LANG /);
    expect(list.stdout).toMatch(/ zh +\d{4}-/);
  });
});

