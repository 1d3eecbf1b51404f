/**
 * The web UI in a real browser (Debian chromium driven by playwright-core) against a gateway on
 * loopback with the preview engine: create a task and watch it complete live, play/download the
 * video, cancel a queued task, check the GPU cards. Screenshots go to test-artifacts/.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, submit, type TestGateway } from '../helpers/gateway.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = 'test-artifacts';
const have = existsSync(CHROMIUM);
let gw: TestGateway;
let ctx: BrowserContext;
let page: Page;

beforeAll(async () => {
  if (!have) return;
  if (!existsSync('web/dist/index.html')) await promisify(execFile)(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts'], { timeout: 120_000 });
  mkdirSync(ARTIFACTS, { recursive: true });
  gw = await startTestGateway({ preview: { slots: 1 } });
  ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'hg-chrome-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  page = ctx.pages()[0] ?? (await ctx.newPage());
  page.setDefaultTimeout(20_000);
}, 180_000);

afterAll(async () => {
  await ctx?.close();
  await gw?.close();
});

describe.skipIf(!have)('web UI in chromium', () => {
  it('creates a task, shows the spoken text, and follows it live to a playable video', async () => {
    await page.goto(gw.url + '/');
    await expect(page.title()).resolves.toBe('heygem-gateway');
    await page.fill('#text', 'The area is $\\pi r^2$ and it costs $5.');
    await page.waitForFunction(() => document.querySelector('[data-testid="spoken"]')?.textContent?.includes('pi r squared'));
    expect(await page.textContent('#count')).toContain('characters');
    await page.screenshot({ path: `${ARTIFACTS}/create.png`, fullPage: true });
    await page.click('button[type="submit"]');
    await page.waitForURL(/#\/tasks\/[0-9a-z]{26}$/);
    await page.waitForSelector('[data-testid="result-video"]', { timeout: 30_000 });
    const src = await page.getAttribute('[data-testid="result-video"]', 'src');
    expect(src).toMatch(/^\/outputs\/[0-9a-z]{26}\.mp4$/);
    const href = await page.getAttribute('[data-testid="download"]', 'href');
    const res = await fetch(gw.url + href);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    // the video element can load metadata (range requests work)
    await page.waitForFunction(() => (document.querySelector('[data-testid="result-video"]') as HTMLVideoElement | null)?.readyState! >= 1, undefined, { timeout: 20_000 });
    await page.screenshot({ path: `${ARTIFACTS}/task.png`, fullPage: true });
  });

  it('shows an API error next to the text field', async () => {
    await page.goto(gw.url + '/#/');
    await page.click('button[type="submit"]');
    expect(await page.textContent('#text-error')).toContain('Enter the text');
  });

  it('lists tasks live and cancels a queued one', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(String((await submit(gw.url, `Queued task number ${i} with enough words to take a moment.`)).body.task_id));
    await page.goto(gw.url + '/#/tasks');
    await page.waitForSelector('[data-testid="task-row"]');
    await page.goto(`${gw.url}/#/tasks/${ids[3]}`);
    const cancel = page.getByRole('button', { name: 'Cancel' });
    await cancel.click();
    await page.waitForFunction(() => document.querySelector('.badge')?.textContent === 'canceled');
    await page.goto(gw.url + '/#/tasks');
    await page.waitForSelector(`[data-testid="task-row"][data-status="canceled"]`);
    await page.screenshot({ path: `${ARTIFACTS}/tasks.png`, fullPage: true });
  });

  it('shows one card per GPU slot and the queue', async () => {
    await page.goto(gw.url + '/#/farm');
    await page.waitForSelector('[data-testid="slot-card"]');
    expect(await page.locator('[data-testid="slot-card"]').count()).toBe(1);
    expect(await page.textContent('[data-testid="slot-card"]')).toContain('GPU 0');
    await page.setViewportSize({ width: 390, height: 844 }); // phone-sized
    await page.screenshot({ path: `${ARTIFACTS}/farm-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows stats of the finished tasks', async () => {
    await page.goto(gw.url + '/#/stats');
    await page.waitForSelector('[data-testid="stats-totals"]');
    expect(await page.textContent('[data-testid="stats-totals"]')).toMatch(/Completed\d+/);
    await page.screenshot({ path: `${ARTIFACTS}/stats.png`, fullPage: true });
  });
});
