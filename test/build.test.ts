/**
 * The production build and how it runs: `tsconfig.build.json` compiles every server module to
 * dist/ with nothing but TypeScript itself (no @types: an install without dev dependencies builds
 * too), the compiled CLI runs under plain node, and SIGTERM sent to `npm start` reaches the server,
 * which shuts down cleanly and leaves no orphan behind.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from './helpers/gateway.js';
import { freePort, writeConfig } from './helpers/process.js';

const run = promisify(execFile);
const CLEAN_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(HEYGEM_GATEWAY_|PORT$|HOST$|DATA_DIR$|npm_)/.test(k)));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? files(join(dir, e)) : [join(dir, e)]));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '); // a zombie has exited
  } catch {
    return false;
  }
};

describe('npm run build', () => {
  // Inside the repository so the compiled files resolve node_modules as dist/ does.
  mkdirSync(join(process.cwd(), '.tmp'), { recursive: true });
  const out = mkdtempSync(join(process.cwd(), '.tmp', 'build-test-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('compiles every server module to ES modules that run under plain node', async () => {
    await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', out], { timeout: 120_000 });
    const sources = files('src')
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => relative('src', f).replace(/\.ts$/, '.js'));
    const built = new Set(files(out).map((f) => relative(out, f)));
    expect(sources.filter((f) => !built.has(f))).toEqual([]);
    expect(readFileSync(join(out, 'cli', 'main.js'), 'utf8')).toMatch(/^import /m); // ESM, not CommonJS
    const { stdout } = await run(process.execPath, [join(out, 'cli', 'main.js'), '--help'], { timeout: 30_000 });
    expect(stdout).toMatch(/^Usage: heygem-gateway <command>/);
  }, 180_000); // a full compile: ~5 s idle, ~30 s on a busy 2-core machine

  it('npm run build left a current build behind (dist/ and web/dist/ with their stamps)', () => {
    for (const f of ['dist/cli/main.js', 'dist/.build-stamp', 'web/dist/index.html', 'web/dist/.build-stamp']) expect(existsSync(f), f).toBe(true);
  });

  it('nothing in dist/ imports a dev dependency: `npm ci --omit=dev && npm start` runs the build', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const devOnly = new Set(Object.keys(pkg.devDependencies).filter((d) => !(d in pkg.dependencies)));
    const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
    const found = files('dist')
      .filter((f) => f.endsWith('.js'))
      .flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"./][^'"]*)['"]/g)]
          .map((m) => packageOf(m[1]))
          .filter((p) => devOnly.has(p))
          .map((p) => `${relative('dist', f)} → ${p}`),
      );
    expect(devOnly.has('tsx')).toBe(true); // tsx runs the benchmarks and tests only
    expect(found).toEqual([]);
  });

  it('dist/ holds only product modules: none without a source in src/, no tests', () => {
    const orphans = files('dist')
      .filter((f) => f.endsWith('.js'))
      .map((f) => relative('dist', f).replace(/\.js$/, ''))
      .filter((m) => m.endsWith('.test') || !(existsSync(join('src', `${m}.ts`)) || existsSync(join('src', `${m}.tsx`))));
    expect(orphans).toEqual([]);
  });
});

describe('npm start', () => {
  it('forwards SIGTERM to the server, which shuts down cleanly with no orphan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-start-'));
    const port = await freePort();
    const config = writeConfig(dir, { engine: 'preview', dataDir: join(dir, 'data'), server: { host: '127.0.0.1', port }, logLevel: 'info' });
    const npm = spawn('npm', ['start', '--silent'], { env: { ...CLEAN_ENV, HEYGEM_GATEWAY_CONFIG: config, LOG_FORMAT: 'json' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    npm.stdout.on('data', (c) => (output += c));
    npm.stderr.on('data', (c) => (output += c));
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    let server = 0;
    try {
      await waitFor(async () => output.includes('listening on'), 60_000);
      // The server is npm's own child: `start` execs node, so no shell sits in between.
      server = Number(readFileSync(`/proc/${npm.pid}/task/${npm.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
      expect(readFileSync(`/proc/${server}/cmdline`, 'utf8').split('\0')).toContain('serve');
      expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
      npm.kill('SIGTERM');
      expect(await exited).toBe(0);
      await waitFor(async () => !alive(server), 30_000);
      expect(output).toContain('"msg":"shutdown complete"');
      await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
    } finally {
      if (server && alive(server)) process.kill(server, 'SIGKILL');
      npm.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
