/**
 * Avatars and voices in a real browser (chromium via playwright-core) against a gateway that
 * drives a protocol-exact fake HeyGem container: upload an avatar with a progress bar, hover its
 * preview, rename it, play its voice's sample, generate twice with it from the Create page's
 * picker, see its poster in the task list, delete refused while a task uses it and allowed
 * after — and the container received the face once. Screenshots go to test-artifacts/.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedFarm } from '../../src/simulate/simulate.js';
import { faceVideoWithAudio } from '../helpers/fixtures.js';
import { FAST_HEYGEM, startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { ARTIFACTS, ensureUiBuilt, haveChromium, launchBrowser } from './browser.js';
import { slotsOf } from '../helpers/farm.js';

const have = haveChromium();
type Farm = Awaited<ReturnType<typeof startSimulatedFarm>>;

let gw: TestGateway;
let farm: Farm;
let ctx: BrowserContext;
let page: Page;
let closeBrowser: (() => Promise<void>) | undefined;
let face: string;
const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });

beforeAll(async () => {
  if (!have) return;
  await ensureUiBuilt();
  face = await faceVideoWithAudio(2);
  // renders long enough that the second task is still queued or running when we try to delete
  farm = await startSimulatedFarm({ gpus: 1, baseDir: mkdtempSync(join(tmpdir(), 'hg-ui-lib-')), host: '127.0.0.1', videoBasePort: 0, ttsBasePort: 0, renderMs: 2500, ttsMs: 30 });
  gw = await startTestGateway({
    engine: 'heygem',
    slots: slotsOf(farm),
    heygem: FAST_HEYGEM,
    scheduler: { healthProbeIntervalMs: 200 },
  });
  ({ ctx, close: closeBrowser } = await launchBrowser());
  page = ctx.pages()[0] ?? (await ctx.newPage());
  page.setDefaultTimeout(45_000);
}, 180_000);

afterAll(async () => {
  await closeBrowser?.();
  await gw?.close();
  await farm?.close();
});

async function createTask(text: string, avatarName: string): Promise<string> {
  await page.goto(`${gw.url}/#/`);
  await page.waitForSelector(`[data-testid="avatar-picker"] option:text("${avatarName}")`, { state: 'attached' });
  await page.selectOption('[data-testid="avatar-picker"]', { label: avatarName });
  // with an avatar chosen, there is no face upload to mix it up with
  expect(await page.locator('#video').count()).toBe(0);
  await page.fill('#text', text);
  await page.click('button[type="submit"]');
  await page.waitForURL(/#\/tasks\/[0-9a-z]{26}$/);
  return page.url().split('/').pop()!;
}

describe.skipIf(!have)('avatars and voices in chromium', () => {
  it('upload, preview, rename, play the voice, generate twice by picker, delete refused while in use, allowed after', async () => {
    await page.goto(`${gw.url}/#/avatars`);
    await page.waitForSelector('text=No avatars yet.');
    // the progress bar shows while the body goes up (watched from before the click)
    await page.evaluate(() => {
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="upload-progress"]')) (window as unknown as { sawProgress: boolean }).sawProgress = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.setInputFiles('#upload-video', face);
    await page.fill('#upload-video-name', 'Anna');
    await page.click('form.upload button[type="submit"]');
    await page.waitForSelector('[data-testid="avatar-card"]', { timeout: 90_000 });
    expect(await page.evaluate(() => (window as unknown as { sawProgress?: boolean }).sawProgress)).toBe(true);
    expect(await page.textContent('[data-testid="avatar-name"]')).toBe('Anna');
    const img = page.locator('[data-testid="avatar-card"] img');
    await page.waitForFunction(() => (document.querySelector('[data-testid="avatar-card"] img') as HTMLImageElement | null)?.naturalWidth === 320);
    expect(await img.getAttribute('src')).toMatch(/poster\.jpg$/);
    // the face check's box is drawn on the poster, inside it, around the face (right of the middle)
    const faceBox = page.locator('[data-testid="face-box"]');
    await faceBox.waitFor();
    const [f, p] = [(await faceBox.boundingBox())!, (await img.boundingBox())!];
    expect(f.width).toBeGreaterThan(p.width * 0.1);
    expect(f.x).toBeGreaterThanOrEqual(p.x);
    expect(f.x + f.width).toBeLessThanOrEqual(p.x + p.width + 1);
    expect(f.x + f.width / 2).toBeGreaterThan(p.x + p.width / 2);
    await shot('avatars-face-box');
    await img.hover();
    await page.waitForFunction(() => {
      const i = document.querySelector('[data-testid="avatar-card"] img') as HTMLImageElement;
      return i.src.endsWith('preview.webp') && i.complete && i.naturalWidth > 0;
    });
    await shot('avatars-hover');
    await page.mouse.move(0, 0);
    await page.click('[data-testid="avatar-card"] button:text("Rename")');
    await page.fill('[data-testid="avatar-card"] input[aria-label="New name"]', 'Anna B');
    await page.click('[data-testid="avatar-card"] button:text("Save")');
    await page.waitForSelector('[data-testid="avatar-name"]:text("Anna B")');

    // its voice is in the voice library, and its sample plays
    await page.goto(`${gw.url}/#/voices`);
    await page.waitForSelector('[data-testid="voice-card"]');
    expect(await page.textContent('[data-testid="voice-name"]')).toBe('Anna (voice)');
    const duration = await page.evaluate(async () => {
      const a = document.querySelector('[data-testid="voice-card"] audio') as HTMLAudioElement;
      a.preload = 'auto';
      a.load();
      await new Promise((resolve, reject) => {
        a.addEventListener('loadedmetadata', resolve, { once: true });
        a.addEventListener('error', () => reject(new Error('sample did not load')), { once: true });
      });
      return a.duration;
    });
    expect(duration).toBeGreaterThan(1);
    await shot('voices');

    // generate twice with the avatar, picked on the Create page
    const first = await createTask('First video with the library avatar.', 'Anna B');
    await waitFor(async () => (await gw.gw.store.get(first))?.state === 'completed', 90_000);
    const second = await createTask('Second video with the same avatar.', 'Anna B');

    // while the second one is unfinished, delete is refused with the reason
    await page.goto(`${gw.url}/#/avatars`);
    await page.waitForSelector('[data-testid="avatar-card"]');
    expect(['queued', 'preparing', 'reserved', 'tts', 'rendering']).toContain((await gw.gw.store.get(second))?.state);
    await page.click('[data-testid="avatar-card"] button:text("Delete")');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click(); // confirmed in a dialog
    await page.waitForSelector('[data-testid="avatar-card"] [role="alert"]');
    expect(await page.textContent('[data-testid="avatar-card"] [role="alert"]')).toMatch(/^Unfinished tasks still use this avatar.*\(avatar_in_use\)/);
    await shot('avatars-delete-refused');

    // the task list shows the avatar's poster on both tasks
    await page.goto(`${gw.url}/#/tasks`);
    await page.waitForSelector(`[data-id="${second}"]`);
    expect(await page.locator('[data-testid="task-poster"]').count()).toBe(2);
    await waitFor(async () => (await gw.gw.store.get(second))?.state === 'completed', 90_000);

    // the container got the face once: both jobs named the same content-hash copy
    const slot = farm.slots[0];
    const names = slot.video.stats().inputs.map((i) => i.video_url);
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(1);
    expect(names[0]).toMatch(/^lib-[0-9a-f]{64}\.mp4$/);
    expect(readdirSync(join(slot.videoDataDir, 'temp')).filter((n) => n.endsWith('.mp4'))).toEqual([names[0]]);

    // now delete works, and the copy goes with it
    await page.goto(`${gw.url}/#/avatars`);
    await page.waitForSelector('[data-testid="avatar-card"]');
    await page.click('[data-testid="avatar-card"] button:text("Delete")');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.waitForSelector('text=No avatars yet.');
    expect(readdirSync(join(slot.videoDataDir, 'temp')).filter((n) => n.endsWith('.mp4'))).toEqual([]);
  }, 300_000);
});
