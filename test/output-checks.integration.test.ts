/**
 * The output check before `completed` (docs/checks.md), end to end: a gateway over protocol-exact
 * fake HeyGem containers on loopback, real ffmpeg. A GPU that returns black, frozen, silent or
 * drifting results is caught, the task is retried on the other GPU and completes; a second bad
 * result fails the task with the finding's code; a slot that keeps returning black is degraded,
 * skipped, and back after `slots clear`.
 */
import { readFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { slots } from '../src/cli/slots.command.js';
import type { FakeSpoil } from '../src/simulate/video-container.fake.js';
import { startGatewayOnFarm } from './helpers/farm.js';
import { submit, waitFinal, waitFor } from './helpers/gateway.js';
import { outputCase } from './helpers/output-fixtures.js';
import { startReceiver } from './helpers/webhook-receiver.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

// ~4 s of fake speech (0.06 s a character): long enough for every finding's threshold
const ZH = '这款手机售价2999元，比去年便宜了20%。我们今天就在门店开卖，欢迎大家来体验。';
const EN = 'This phone costs 2999 dollars, twenty percent less than last year. It is on sale in our stores today.';

const CODE: Record<FakeSpoil, string> = { black: 'output_black', frozen: 'output_frozen', silent: 'output_silent', drift: 'output_av_drift' };

async function farm(output: Record<string, unknown> = {}, more: Record<string, unknown> = {}) {
  return startGatewayOnFarm(cleanups, {
    gpus: 2,
    ttsMs: 20,
    dirPrefix: 'hg-outcheck-',
    farm: { renderMs: 100 },
    gateway: {
      scheduler: { retryBaseDelayMs: 20, healthProbeIntervalMs: 200, maxAttempts: 3 },
      // no probe render during these tests: only an operator clears a degraded slot here
      checks: { output: { probeAfterMs: 3_600_000, ...output } },
      ...more,
    },
  });
}

/** A moving face (so a frozen result is a finding), with a tone as its voice. */
const movingFace = async () => ({ path: await outputCase('good'), name: 'face.mp4' });

// Each task runs real ffmpeg several times (the fake's render, the check, the retry): on a loaded
// machine a test takes a minute.
const SLOW = 300_000;

describe('output check before completed', () => {
  it('each bad kind is caught and retried on the other GPU, which completes it (Chinese and English)', async () => {
    const { farm: f, t } = await farm({ degradeAfter: 99 });
    const kinds: FakeSpoil[] = ['black', 'frozen', 'silent', 'drift'];
    for (const [i, kind] of kinds.entries()) {
      f.slots[0].video.setOptions({ spoil: kind });
      const r = await submit(t.url, i % 2 ? EN : ZH, await movingFace());
      expect(r.status).toBe(202);
      const s = await waitFinal(t.url, String(r.body.task_id));
      expect({ kind, status: s.status, gpu: s.gpu_id }).toEqual({ kind, status: 'completed', gpu: 1 });
      const checks = s.checks as Array<Record<string, unknown>>;
      expect(checks.map((c) => [c.code, c.attempt, c.gpu_id])).toContainEqual([CODE[kind], 1, 0]);
      expect(checks.every((c) => c.gpu_id === 0)).toBe(true); // the other GPU's result passed
      expect(s.attempts).toBe(1);
    }
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    for (const kind of kinds) expect(metrics).toMatch(new RegExp(`heygem_gateway_output_checks_total\\{code="${CODE[kind]}"\\} [1-9]`));
    expect(metrics).toMatch(/heygem_gateway_output_checks_total\{code="none"\} [1-9]/);
  }, SLOW);

  it('a second bad result fails the task with the finding\u2019s code; the webhook carries the findings', async () => {
    const rx = await startReceiver();
    cleanups.push(() => rx.close());
    const webhooks = { secret: 'deployment-secret-for-tests-0123456789', allowedHosts: ['127.0.0.1'], retryBaseDelayMs: 50, retryMaxDelayMs: 200, pollIntervalMs: 50 };
    const { farm: f, t } = await farm({ degradeAfter: 99 }, { webhooks });
    for (const s of f.slots) s.video.setOptions({ spoil: 'silent' });
    const form = new FormData();
    form.set('text', ZH);
    form.set('callback_url', rx.url);
    form.set('video', new Blob([new Uint8Array(await readFile(await outputCase('good')))], { type: 'video/mp4' }), 'face.mp4');
    const r = (await (await fetch(`${t.url}/api/generate`, { method: 'POST', body: form })).json()) as Record<string, unknown>;
    const s = await waitFinal(t.url, String(r.task_id));
    expect(s).toMatchObject({ status: 'failed', error_code: 'output_silent' });
    expect(String(s.error)).toContain('second bad result');
    const checks = s.checks as Array<Record<string, unknown>>;
    // two results, one on each GPU
    expect(new Set(checks.map((c) => c.gpu_id))).toEqual(new Set([0, 1]));
    expect(checks.map((c) => c.attempt)).toEqual([1, 2]);
    // the webhook is the status answer: the same findings, with the code
    const hook = await waitFor(async () => rx.received.find((x) => x.json.task_id === r.task_id && x.json.status === 'failed'));
    expect(hook.json).toMatchObject({ error_code: 'output_silent', checks });
  }, SLOW);

  it('a slot that keeps returning black is degraded and skipped; slots clear brings it back', async () => {
    const { farm: f, t } = await farm({ degradeAfter: 2 });
    f.slots[0].video.setOptions({ spoil: 'black' });
    // two tasks in turn: slot 0 takes each first, each is retried on slot 1
    for (let i = 0; i < 2; i++) {
      const r = await submit(t.url, `${EN} (${i})`, await movingFace());
      expect((await waitFinal(t.url, String(r.body.task_id))).status).toBe('completed');
    }
    const health = (await (await fetch(`${t.url}/api/health`)).json()) as { status: string; slots: Array<{ id: number; state: string; degraded: boolean }>; reasons: string[] };
    expect(health.status).toBe('degraded');
    expect(health.slots.find((s) => s.id === 0)).toMatchObject({ state: 'degraded', degraded: true });
    expect(health.reasons.join(' ')).toContain('slot 0 degraded');
    const queue = (await (await fetch(`${t.url}/api/queue`)).json()) as { gpus: Record<string, { degraded: { code: string } | null }> };
    expect(queue.gpus['0'].degraded).toMatchObject({ code: 'output_black' });
    expect(await (await fetch(`${t.url}/metrics`)).text()).toMatch(/heygem_gateway_slot_degraded\{slot="0"\} 1/);
    // skipped: new work goes to slot 1 only, at once (no bad result, no retry)
    const submits0 = f.slots[0].video.stats().submits;
    const r = await submit(t.url, ZH, await movingFace());
    const s = await waitFinal(t.url, String(r.body.task_id));
    expect(s).toMatchObject({ status: 'completed', gpu_id: 1, checks: [] });
    expect(f.slots[0].video.stats().submits).toBe(submits0);
    // the operator fixes the container and runs `heygem-gateway slots clear 0`
    f.slots[0].video.setOptions({ spoil: null });
    const out = new PassThrough();
    let said = '';
    out.on('data', (b: Buffer) => (said += b.toString()));
    await slots({ url: t.url, action: 'clear', id: '0' }, out);
    expect(said).toBe('Slot 0 cleared: it takes work again.\n');
    const cleared = await fetch(`${t.url}/api/slots/0/clear`, { method: 'POST' });
    expect(cleared.status).toBe(200);
    expect(await cleared.json()).toMatchObject({ slot: 0, cleared: false, state: { degraded: null } });
    const again = await submit(t.url, EN, await movingFace());
    expect(await waitFinal(t.url, String(again.body.task_id))).toMatchObject({ status: 'completed', gpu_id: 0, checks: [] });
    await waitFor(async () => ((await (await fetch(`${t.url}/api/health`)).json()) as { status: string }).status === 'healthy' || undefined);
    expect((await fetch(`${t.url}/api/slots/7/clear`, { method: 'POST' })).status).toBe(404);
  }, SLOW);
  it('a degraded slot stays out while its probe render fails and comes back when one passes', async () => {
    const { farm: f, t } = await farm({ degradeAfter: 1, probeAfterMs: 200 });
    f.slots[0].video.setOptions({ spoil: 'black' });
    const submits = f.slots[0].video.stats().submits;
    const r = await submit(t.url, ZH, await movingFace());
    expect(await waitFinal(t.url, String(r.body.task_id))).toMatchObject({ status: 'completed', gpu_id: 1 });
    type Gpu = { degraded: { code: string; next_probe: string | null } | null };
    const gpu0 = async () => ((await (await fetch(`${t.url}/api/queue`)).json()) as { gpus: Record<string, Gpu> }).gpus['0'];
    const first = (await gpu0()).degraded!;
    expect(first.code).toBe('output_black');
    // the probe renders black too: still degraded, the next probe later (back-off)
    const later = await waitFor(async () => {
      const d = (await gpu0()).degraded;
      return d && d.next_probe && d.next_probe > first.next_probe! ? d : undefined;
    }, 60_000);
    expect(later.code).toBe('output_black');
    // the task's render and at least one probe render went to slot 0's container
    expect(f.slots[0].video.stats().submits).toBeGreaterThanOrEqual(submits + 2);
    // the container is fixed: the next probe passes and the slot takes work again
    f.slots[0].video.setOptions({ spoil: null });
    await waitFor(async () => ((await gpu0()).degraded === null ? true : undefined), 60_000);
    expect((await (await fetch(`${t.url}/metrics`)).text()).match(/heygem_gateway_slot_degraded\{slot="0"\} (\d)/)?.[1]).toBe('0');
  }, SLOW);
});
