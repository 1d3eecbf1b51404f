/**
 * A long script watched while it renders, in a real browser (Debian chromium, hls.js over MSE):
 * the later parts are held back in the fake containers, the task page plays the first seconds
 * from the HLS stream, then switches to the MP4 once the task completes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { newTaskId } from '../../src/domain/ids.js';
import { startGatewayOnFarm } from '../helpers/farm.js';
import { FAST_HEYGEM } from '../helpers/gateway.js';
import { waitFinalInStore } from '../helpers/gateway.js';
import { ARTIFACTS, ensureUiBuilt, haveChromium, launchBrowser } from './browser.js';

const have = haveChromium();
/** A held render makes no progress: no stall or render timeout may end it while the test looks. */
const HELD = { ...FAST_HEYGEM, stallTimeoutMs: 600_000, renderTimeoutMs: 600_000 };
const cleanups: Array<() => Promise<void>> = [];
let ctx: BrowserContext;
let page: Page;
/** What the page said (shown when a wait fails). */
const logs: string[] = [];
const waitInPage = (fn: () => boolean) =>
  page.waitForFunction(fn).catch(async (err: Error) => {
    const state = await page.evaluate(() => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid="stream-video"]');
      const r = performance.getEntriesByType('resource').map((e) => e.name.replace(location.origin, '')).filter((n) => n.includes('stream') || n.includes('hls'));
      return JSON.stringify({ ready: v?.readyState, net: v?.networkState, time: v?.currentTime, buffered: v && v.buffered.length ? [v.buffered.start(0), v.buffered.end(0)] : null, src: v?.src, error: v?.error?.message, r });
    });
    throw new Error(`${err.message}\n${state}\n${logs.slice(-30).join('\n')}`);
  });

beforeAll(async () => {
  if (!have) return;
  await ensureUiBuilt();
  const b = await launchBrowser({ locale: 'zh-CN' });
  ctx = b.ctx;
  cleanups.push(b.close);
  page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('console', (m) => void logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => void logs.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => void logs.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => void (r.status() >= 400 && logs.push(`${r.status()} ${r.url()}`)));
  page.setDefaultTimeout(60_000); // bounds for a busy 2-core machine, not expectations
}, 180_000);

afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

describe.skipIf(!have)('watching a long script while it renders', () => {
  it('plays the first seconds of a Chinese script from its HLS stream, then the MP4 once done', async () => {
    const { farm, t } = await startGatewayOnFarm(cleanups, {
      gpus: 2,
      ttsMs: 30,
      dirPrefix: 'hg-stream-ui-',
      farm: { renderMs: 100, video: { lengthErrorFrames: [-1, 2, 4] } },
      gateway: { segments: { targetSeconds: 6, backupRenders: 0 }, heygem: HELD },
    });
    const gw = t.gw;
    const text = Array.from({ length: 6 }, (_, i) => `第${i + 1}课：这款手机售价2999元，比去年便宜了20%。`).join('');
    const parent = await gw.segments.create({ id: newTaskId(), text, normalizedText: gw.normalize(text), createdAt: gw.clock.now() });
    const kids = await gw.store.listSegments(parent.id);
    expect(kids.length).toBeGreaterThanOrEqual(3);
    // only the first part renders until released
    let held = new Set(kids.slice(1).map((k) => k.id));
    for (const s of farm.slots) s.video.setOptions({ hold: (code) => held.has(code.split('-')[0]) });
    gw.lifecycle.accepted(parent);
    gw.scheduler.notify();

    await page.goto(`${t.url}/#/tasks/${parent.id}`);
    const video = page.locator('[data-testid="stream-video"]');
    await video.waitFor();
    // play (muted: a page may start sound only after a gesture) and wait for seconds to pass
    await waitInPage(() => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid="stream-video"]');
      if (!v || v.readyState < 2) return false;
      v.muted = true;
      void v.play().catch(() => undefined);
      return true;
    });
    await waitInPage(() => (document.querySelector<HTMLVideoElement>('[data-testid="stream-video"]')?.currentTime ?? 0) >= 1.5);
    const played = await video.evaluate((v: HTMLVideoElement) => ({ time: v.currentTime, width: v.videoWidth, error: v.error?.code ?? null }));
    expect(played.error).toBeNull();
    expect(played.width).toBeGreaterThan(0);
    // …while the script is still rendering: only its first part exists
    const now = (await gw.store.listSegments(parent.id)).map((k) => k.state);
    expect(now[0]).toBe('completed');
    expect(now.slice(1).every((s) => s !== 'completed')).toBe(true);
    expect((await gw.store.get(parent.id))!.state).not.toBe('completed');
    await page.screenshot({ path: `${ARTIFACTS}/stream-rendering.png`, fullPage: true });

    held = new Set();
    const done = await waitFinalInStore(gw, parent.id, 240_000);
    expect(done.state, done.errorMessage ?? '').toBe('completed');
    await page.locator('[data-testid="result-video"]').waitFor();
    expect(await video.count()).toBe(0);
  }, 400_000);
});
