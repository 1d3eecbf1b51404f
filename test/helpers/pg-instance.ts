/**
 * A PostgreSQL server of the test's own (never the machine's shared one): initdb into a temp
 * dir with the Debian binaries (/usr/lib/postgresql/<version>/bin), listening on a free
 * loopback port only, with trust auth for `postgres`. The test stops it the way a crash or a
 * failover does (`pg_ctl -m immediate stop`: every connection is cut, nothing is flushed
 * politely) and starts it again on the same port and data.
 *
 * initdb and postgres refuse to run as root, so when the test runs as root every server binary
 * is run as the `postgres` user (`runuser -u postgres --`), and the temp dir is handed to it.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './process.js';

const run = promisify(execFile);

export interface PgInstance {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  /** Stop at once, as a crash would (`-m immediate`). */
  stop(): Promise<void>;
  /** Start again (same data, same port); resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stop (if running) and delete the data dir. */
  destroy(): Promise<void>;
}

/** The newest Debian-packaged server, or undefined when none is installed. */
export function findPgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : undefined;
}

export async function startPgInstance(): Promise<PgInstance> {
  const bin = findPgBin();
  if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql/*/bin');
  const root = userInfo().uid === 0;
  const asServer = (file: string, args: string[]) => (root ? run('runuser', ['-u', 'postgres', '--', join(bin, file), ...args]) : run(join(bin, file), args));
  const dir = mkdtempSync(join(tmpdir(), 'hg-pg-'));
  if (root) {
    const { uid, gid } = await serverIds();
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  await asServer('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  // Loopback only, a private socket dir, no fsync (a test server: speed over durability).
  const opts = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c max_connections=60`;
  const log = join(dir, 'server.log');
  let running = false;
  const start = async () => {
    await asServer('pg_ctl', ['-D', data, '-l', log, '-o', opts, '-w', '-t', '60', 'start']);
    running = true;
  };
  const stop = async () => {
    await asServer('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    running = false;
  };
  await start();
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    async destroy() {
      if (running) await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function serverIds(): Promise<{ uid: number; gid: number }> {
  const [u, g] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}
