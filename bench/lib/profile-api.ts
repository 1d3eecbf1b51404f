/**
 * Profile one API route: `npx tsx bench/lib/profile-api.ts status|queue [seconds]` seeds a
 * database, starts the gateway with `--cpu-prof` and loads the route with autocannon, then
 * prints the top self-time functions of the server's profile.
 */
import autocannon from 'autocannon';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDatabase } from './seed.js';
import { startServer } from './server.js';

const route = process.argv[2] ?? 'status';
const duration = Number(process.argv[3] ?? 5);
const dataDir = mkdtempSync(join(tmpdir(), 'hg-prof-'));
const profDir = join(dataDir, 'prof');
const { queuedIds } = seedDatabase(join(dataDir, 'gateway.db'), { completed: 9000, queued: 1000 });
const server = await startServer(dataDir, { scheduler: { enabled: false }, rateLimit: { exemptLoopback: true } }, undefined, ['--cpu-prof', `--cpu-prof-dir=${profDir}`]);
const url = route === 'queue' ? `${server.url}/api/queue` : `${server.url}/api/status/${queuedIds[500]}`;
const r = await autocannon({ url, connections: 32, duration });
console.log(`${route}: ${Math.round(r.requests.average)} req/s, p99 ${r.latency.p99} ms`);
await server.stop();
interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))!;
const prof = JSON.parse(readFileSync(join(profDir, file), 'utf8')) as { nodes: Node[]; samples: number[] };
const self = new Map<number, number>();
for (const s of prof.samples) self.set(s, (self.get(s) ?? 0) + 1);
const byFn = new Map<string, number>();
for (const n of prof.nodes) {
  const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${n.callFrame.lineNumber}`;
  byFn.set(key, (byFn.get(key) ?? 0) + (self.get(n.id) ?? 0));
}
const total = prof.samples.length;
for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${((v / total) * 100).toFixed(1).padStart(5)} %  ${k}`);
console.log(`profile: ${join(profDir, file)}`);
process.exit(0);
