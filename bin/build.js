#!/usr/bin/env node
/**
 * The build: server TypeScript (src/ → dist/, tsc) and the web UI (web/ → web/dist/, vite).
 *
 *   node bin/build.js             build both (what `npm run build` runs)
 *   node bin/build.js server|web  build one
 *   node bin/build.js --if-stale  build only what is missing or older than its sources (`prepare`,
 *                                 so `npm ci` leaves a ready build behind; no sources: nothing to do)
 *
 * `ensureBuilt` is what bin/heygem-gateway.js calls before loading dist/: a fresh clone installed
 * with `--ignore-scripts`, or a `git pull` without a reinstall, still starts on current code, and an
 * up-to-date build costs one directory walk. Plain JavaScript on purpose: it runs before anything is
 * compiled. The tools run as `node <their entry file>` with argument arrays: no shell, no npx.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
const STAMP = '.build-stamp';

/** What each part is built from, where it goes, and how. */
const PARTS = {
  server: {
    sources: ['src', 'tsconfig.json', 'tsconfig.build.json'],
    out: 'dist',
    needs: 'typescript',
    tool: () => [resolveBin('typescript', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
  },
  web: {
    sources: ['web/src', 'web/index.html', 'web/vite.config.ts'],
    out: 'web/dist',
    needs: 'vite',
    tool: () => [resolveBin('vite', 'vite'), 'build', '--config', join(ROOT, 'web', 'vite.config.ts'), '--logLevel', 'warn'],
  },
};

/** The JavaScript file behind a package's command (from its package.json `bin`); null when absent. */
function resolveBin(pkg, command) {
  let manifest;
  try {
    manifest = require.resolve(`${pkg}/package.json`);
  } catch {
    manifest = join(ROOT, 'node_modules', pkg, 'package.json'); // packages whose `exports` hide it
    if (!existsSync(manifest)) return null;
  }
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8'));
  const file = typeof bin === 'string' ? bin : bin?.[command];
  return file ? join(dirname(manifest), file) : null;
}

/** Newest modification time under `path` (a file or a directory tree); 0 when it does not exist. */
function newestMtime(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a deleted file shows only as a newer directory
  for (const entry of readdirSync(path)) if (!/\.test\.tsx?$/.test(entry)) newest = Math.max(newest, newestMtime(join(path, entry))); // tests are not built
  return newest;
}

/**
 * 'missing' (no build), 'stale' (a source is newer than the build), 'fresh', 'shipped' (a build
 * without its sources, as in the Docker image: nothing to compare, nothing to rebuild) or
 * 'no-sources' (neither: e.g. the Docker build's dependency step, before the sources are copied).
 */
export function buildState(part) {
  const p = PARTS[part];
  const stamp = join(ROOT, p.out, STAMP);
  if (!existsSync(join(ROOT, p.sources[0]))) return existsSync(join(ROOT, p.out)) ? 'shipped' : 'no-sources';
  if (!existsSync(stamp)) return 'missing';
  const built = statSync(stamp).mtimeMs;
  return p.sources.some((s) => newestMtime(join(ROOT, s)) > built) ? 'stale' : 'fresh';
}

/** Build one part; throws with the tool's exit status on failure. Tool output goes to stderr. */
export function build(part) {
  const p = PARTS[part];
  const [entry, ...args] = p.tool();
  if (!entry) throw new Error(`cannot build ${part}: the ${p.needs} package is not installed (run \`npm ci\`)`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [entry, ...args], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) throw new Error(`building ${part} failed (exit ${r.status ?? r.signal})`);
  if (part === 'server') pruneOrphans(join(ROOT, 'dist'), join(ROOT, 'src'));
  writeFileSync(join(ROOT, p.out, STAMP), `${new Date().toISOString()}\n`);
  process.stderr.write(`heygem-gateway: built ${part} → ${p.out}/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

/**
 * Remove compiled files whose source is gone (renamed, moved to test/, deleted): tsc only ever
 * adds to dist/, and a build updated in place must not keep shipping old modules. Files are
 * removed one by one, never the whole tree, so a running server's lazy imports keep working.
 */
function pruneOrphans(out, src) {
  if (!existsSync(out)) return;
  for (const entry of readdirSync(out)) {
    const built = join(out, entry);
    if (statSync(built).isDirectory()) {
      pruneOrphans(built, join(src, entry));
      if (!readdirSync(built).length) rmSync(built, { recursive: true, force: true });
      continue;
    }
    const m = /^(.*)\.js(\.map)?$/.exec(entry);
    if (!m) continue;
    const stem = join(src, m[1]);
    if (/\.test$/.test(m[1]) || !(existsSync(`${stem}.ts`) || existsSync(`${stem}.tsx`))) rmSync(built, { force: true });
  }
}

const needsBuild = (part) => ['missing', 'stale'].includes(buildState(part));

/** Can this process write the build? (Not under systemd's ProtectSystem=strict, for one.) */
function writable(part) {
  try {
    accessSync(join(ROOT, existsSync(join(ROOT, PARTS[part].out)) ? PARTS[part].out : '.'), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * One builder at a time: several processes started together on a stale tree (a test suite, a
 * bench) wait for the first one's build instead of writing dist/ over each other. A lock left by a
 * killed builder is taken over after LOCK_STALE_MS.
 */
const LOCK = join(ROOT, '.tmp', 'build.lock');
const LOCK_STALE_MS = 5 * 60_000;
function withBuildLock(fn) {
  mkdirSync(dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let age = 0;
      try {
        age = Date.now() - statSync(LOCK).mtimeMs;
      } catch {
        continue; // released in between
      }
      if (age > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200); // synchronous sleep
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Build whatever is missing or stale (the UI only when `ui`). A stale build that cannot be rebuilt
 * here (no build tools, or a read-only install) runs as it is, with a warning: better the previous
 * version than no service.
 */
export function ensureBuilt({ ui }) {
  const parts = ui ? ['server', 'web'] : ['server'];
  if (buildState('server') === 'no-sources') throw new Error('no build in dist/ and no src/ to build it from');
  const todo = parts.filter((part) => {
    const state = buildState(part);
    if (state !== 'stale' || (PARTS[part].tool()[0] && writable(part))) return state === 'missing' || state === 'stale';
    process.stderr.write(`heygem-gateway: warning: ${PARTS[part].out}/ is older than its sources and cannot be rebuilt here; running it as it is (run \`npm run build\`)\n`);
    return false;
  });
  if (!todo.length) return;
  withBuildLock(() => {
    for (const part of todo) if (needsBuild(part)) build(part); // again: another process may have built it meanwhile
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const ifStale = args.includes('--if-stale');
  const parts = args.filter((a) => a !== '--if-stale');
  const unknown = parts.filter((a) => !(a in PARTS));
  if (unknown.length) {
    process.stderr.write(`unknown part(s): ${unknown.join(', ')} (use: server, web, --if-stale)\n`);
    process.exit(2);
  }
  try {
    withBuildLock(() => {
      for (const part of parts.length ? parts : Object.keys(PARTS)) if (!ifStale || needsBuild(part)) build(part);
    });
  } catch (err) {
    process.stderr.write(`heygem-gateway: ${err.message}\n`);
    process.exit(1);
  }
}
