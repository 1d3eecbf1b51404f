/**
 * Webhooks survive a kill -9 of the gateway process (the real CLI, `serve`): one delivery is in
 * flight (the receiver holds the request) and another task's deliveries were never written (the
 * process died between the task's completion and its outbox insert, simulated by removing the
 * rows while the gateway is down). After the restart both arrive; nothing is lost.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulatedFarm } from '../src/simulate/simulate.js';
import { faceVideoWithAudio } from './helpers/fixtures.js';
import { FAST_HEYGEM, getStatus, waitFinal, waitFor } from './helpers/gateway.js';
import { freePort, startServeKilledOnCleanup, writeConfig, type ServeProcess } from './helpers/process.js';
import { startReceiver } from './helpers/webhook-receiver.js';
import { slotsOf } from './helpers/farm.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

const SECRET = 'crash-test-deployment-secret-0123456789';

const serve = (config: string, port: number): Promise<ServeProcess> => startServeKilledOnCleanup(cleanups, config, port);

async function submitWithCallback(url: string, text: string, callback: string): Promise<string> {
  const res = await fetch(`${url}/api/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, callback_url: callback }) });
  expect(res.status).toBe(202);
  return String(((await res.json()) as { task_id: string }).task_id);
}

describe('webhooks across kill -9', () => {
  it('an attempt in flight and an event never written are both delivered after the restart', async () => {
    await faceVideoWithAudio(2);
    const dir = mkdtempSync(join(tmpdir(), 'hg-whcrash-'));
    const farm = await startSimulatedFarm({ gpus: 1, baseDir: join(dir, 'farm'), host: '127.0.0.1', renderMs: 300, ttsMs: 50 });
    cleanups.push(() => farm.close());
    const rx = await startReceiver();
    cleanups.push(() => rx.close());
    const port = await freePort();
    const dataDir = join(dir, 'data');
    const config = writeConfig(dir, {
      server: { host: '127.0.0.1', port },
      dataDir,
      engine: 'heygem',
      slots: slotsOf(farm),
      heygem: FAST_HEYGEM,
      scheduler: { retryBaseDelayMs: 20, healthProbeIntervalMs: 200 },
      webhooks: { secret: SECRET, allowedHosts: ['127.0.0.1'], timeoutMs: 60_000, retryBaseDelayMs: 100, retryMaxDelayMs: 500, pollIntervalMs: 100 },
    });
    rx.script.push('hold', 'hold'); // the first task's attempt hangs until the gateway dies
    const first = await serve(config, port);
    const held = await submitWithCallback(first.url, 'Hold my webhook.', rx.url);
    await waitFor(async () => rx.received.some((r) => r.json.task_id === held), 30_000);
    const lost = await submitWithCallback(first.url, 'Lose my webhook row.', `${rx.url}?second`);
    expect((await waitFinal(first.url, lost, 30_000)).status).toBe('completed');
    await waitFor(async () => rx.received.some((r) => r.json.task_id === lost), 30_000);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    rx.release();

    // As if the process had died after committing `completed` but before writing the deliveries.
    const db = new Database(join(dataDir, 'gateway.db'));
    expect(db.prepare('DELETE FROM webhook_deliveries WHERE task_id = ?').run(lost).changes).toBe(1);
    expect((db.prepare('SELECT state, claimed_by FROM webhook_deliveries WHERE task_id = ?').get(held) as { state: string; claimed_by: string | null }).claimed_by).not.toBeNull();
    db.close();
    const before = rx.received.length;

    const second = await serve(config, port);
    const deliveredOf = async (id: string) => {
      const r = await fetch(`${second.url}/api/tasks/${id}/webhooks`);
      const d = ((await r.json()) as { deliveries: Array<Record<string, unknown>> }).deliveries;
      return d.length === 1 && d[0].state === 'delivered' ? d[0] : null;
    };
    const [h, l] = [await waitFor(() => deliveredOf(held), 30_000), await waitFor(() => deliveredOf(lost), 30_000)];
    expect(h.attempts).toBeGreaterThanOrEqual(2); // the cut attempt counted, then one that arrived
    expect(l.event_id).toBe(rx.received.find((r) => r.json.task_id === lost)!.json.event_id); // the same event, recorded again
    const after = rx.received.slice(before);
    for (const id of [held, lost]) {
      const got = after.filter((r) => r.json.task_id === id);
      expect(got.length, id).toBeGreaterThanOrEqual(1);
      for (const r of got) expect(rx.verified(r, SECRET)).toBe(true);
    }
    expect((await getStatus(second.url, held)).status).toBe('completed');
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 120_000);
});
