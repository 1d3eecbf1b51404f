/**
 * The must-show run: a 200-row CSV batch on 3 protocol-exact fake HeyGem GPUs completes, its
 * ZIP holds 200 MP4s (read back through the central directory, CRCs checked), and a single
 * task another key sends while the batch fills every slot is not starved: by claim ORDER (the
 * store's event log), it is taken before the batch's tail, not after 200 rows.
 */
import { execFile } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulatedFarm } from '../src/simulate/simulate.js';
import { SqliteApiKeys } from '../src/security/api-keys.js';
import { SqliteTaskStore } from '../src/store/sqlite.adapter.js';
import { FAST_HEYGEM, startTestGateway, waitFor, type TestGateway } from './helpers/gateway.js';
import { bearer } from './helpers/scripted.js';

const run = promisify(execFile);
const ROWS = 200;
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

/** Python's zipfile: names from the central directory, CRC of every entry, MP4 signature of each. */
const PY_ZIP = `
import sys, zipfile, json
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
names = z.namelist()
mp4 = sum(1 for n in names if z.open(n).read(12)[4:8] == b"ftyp")
print(json.dumps({"bad": bad, "names": names, "mp4": mp4}))
`;
import { slotsOf } from './helpers/farm.js';

describe('a 200-row batch on 3 fake GPUs', () => {
  it('completes, zips 200 MP4s, and another key’s single task is served before the batch’s tail', async () => {
    const baseDir = mkdtempSync(join(tmpdir(), 'hg-batch-farm-'));
    const farm = await startSimulatedFarm({ gpus: 3, baseDir, host: '127.0.0.1', videoBasePort: 0, ttsBasePort: 0, renderMs: 20, ttsMs: 5, video: { growMs: 5 } });
    cleanups.push(() => farm.close());
    const dataDir = mkdtempSync(join(tmpdir(), 'hg-batch-gw-'));
    const keys = new SqliteApiKeys(join(dataDir, 'gateway.db'));
    const alice = (await keys.create('alice', ['submit', 'read'])).token;
    const bob = (await keys.create('bob', ['submit', 'read'])).token;
    await keys.close();
    const t: TestGateway = await startTestGateway(
      {
        engine: 'heygem',
        slots: slotsOf(farm),
        heygem: FAST_HEYGEM,
        auth: { enabled: true },
        rateLimit: { submitsPerMinutePerKey: 0, maxActiveTasksPerKey: 0 },
        scheduler: { retryBaseDelayMs: 20, healthProbeIntervalMs: 200 },
      },
      {},
      dataDir,
    );
    cleanups.push(() => t.close());

    const csv = 'text,lesson\r\n' + Array.from({ length: ROWS }, (_, i) => `"Row ${i + 1}, said aloud.",${i + 1}`).join('\r\n') + '\r\n';
    const sent = await fetch(`${t.url}/api/batches`, { method: 'POST', headers: { 'content-type': 'text/csv', ...bearer(alice) }, body: csv });
    expect(sent.status).toBe(202);
    const batchId = ((await sent.json()) as { batch_id: string }).batch_id;

    // Once the batch holds the slots, bob sends one task.
    const db = (t.gw.store as SqliteTaskStore).database;
    const claimOrder = () => (db.prepare(`SELECT task_id FROM task_events WHERE state = 'preparing' ORDER BY id`).all() as Array<{ task_id: string }>).map((r) => r.task_id);
    await waitFor(async () => claimOrder().length >= 6, 120_000);
    const single = await fetch(`${t.url}/api/generate`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(bob) }, body: JSON.stringify({ text: 'Just one, please.' }) });
    expect(single.status).toBe(202);
    const bobTask = ((await single.json()) as { task_id: string }).task_id;
    const claimedBefore = claimOrder().length;

    const done = await waitFor(
      async () => {
        const r = (await (await fetch(`${t.url}/api/batches/${batchId}`, { headers: bearer(alice) })).json()) as { status: string; counts: Record<string, number> };
        return r.status === 'completed' ? r : undefined;
      },
      540_000,
      200,
    );
    expect(done.counts).toMatchObject({ completed: ROWS, failed: 0, canceled: 0 });

    // Fair share, by position in the claim order: after bob submitted, at most one claim per
    // slot could already be under way for the batch before bob's task was taken.
    const order = claimOrder();
    const bobAt = order.indexOf(bobTask);
    const batchClaimsBetween = bobAt - claimedBefore;
    const batchTail = order.length - bobAt - 1;
    const bobStatus = (await (await fetch(`${t.url}/api/status/${bobTask}`, { headers: bearer(bob) })).json()) as { status: string; timing: { queue_time: number } };
    console.info(`batch farm: bob's task claimed #${bobAt + 1} of ${order.length}; batch claims between its submit and its claim: ${batchClaimsBetween}; batch rows served after it: ${batchTail}; its queue wait ${bobStatus.timing.queue_time} s`);
    expect(bobStatus.status).toBe('completed');
    expect(batchClaimsBetween).toBeLessThanOrEqual(3);
    expect(batchTail).toBeGreaterThan(ROWS / 2);

    // The ZIP: 200 entries, all MP4, CRCs good — read back from the central directory.
    const file = join(dataDir, 'results.zip');
    const zip = await fetch(`${t.url}/api/batches/${batchId}/results.zip`, { headers: bearer(alice) });
    expect(zip.status).toBe(200);
    await pipeline(Readable.fromWeb(zip.body! as never), createWriteStream(file));
    const { stdout } = await run('python3', ['-c', PY_ZIP, file], { maxBuffer: 4 * 1024 * 1024 });
    const z = JSON.parse(stdout) as { bad: string | null; names: string[]; mp4: number };
    expect(z.bad).toBeNull();
    // one MP4 per row (named by row number and its first words), its captions, and manifest.csv
    const videos = z.names.filter((n) => n.endsWith('.mp4'));
    expect(videos).toHaveLength(ROWS);
    expect(videos.every((n) => /^\d{3}-[^/]+\.mp4$/.test(n))).toBe(true);
    expect(z.mp4).toBe(ROWS);
    expect(z.names).toContain('manifest.csv');
    expect(z.names.filter((n) => n.endsWith('.vtt'))).toHaveLength(ROWS);
    const listing = await run('unzip', ['-l', file], { maxBuffer: 4 * 1024 * 1024 });
    expect(listing.stdout).toMatch(new RegExp(`\\s${z.names.length} files`));
  }, 600_000);
});
