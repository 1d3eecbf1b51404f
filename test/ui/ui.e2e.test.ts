/**
 * The web UI in a real browser (Debian chromium driven by playwright-core) against a gateway on
 * loopback with the preview engine and one slot (so later tasks stay queued for a moment):
 * create a task and watch it complete live, play/seek/download the video, errors next to their
 * field, the task list updating live by SSE and by polling when SSE is blocked, cancel a queued
 * task, the GPU cards, phone-sized layouts, keyboard use; and against a gateway that requires
 * API keys, the key entered once in the UI. Screenshots go to test-artifacts/.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, submit, type TestGateway } from '../helpers/gateway.js';
import { scriptedGateway } from '../helpers/scripted.js';
import { ARTIFACTS, ensureUiBuilt, haveChromium, launchBrowser, PHONE, WIDE } from './browser.js';

const have = haveChromium();

let gw: TestGateway;
let ctx: BrowserContext;
let page: Page;
let closeBrowser: (() => Promise<void>) | undefined;
const foreign: string[] = [];
const cspViolations: string[] = [];
let firstTask = '';
const shot = (name: string, p: Page = page) => p.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
const long = (i: number) => `Queued task number ${i}. ${'It has enough words to keep the engine busy for a moment. '.repeat(3)}`;

beforeAll(async () => {
  if (!have) return;
  await ensureUiBuilt();
  gw = await startTestGateway({ preview: { slots: 1 } });
  ({ ctx, close: closeBrowser } = await launchBrowser());
  // the UI must load nothing from anywhere but the gateway (no fonts, CDNs, analytics)
  ctx.on('request', (r) => {
    const u = r.url();
    if (!/^(data|blob):/.test(u) && new URL(u).hostname !== '127.0.0.1') foreign.push(u); // the gateways here listen on loopback
  });
  ctx.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  page = ctx.pages()[0] ?? (await ctx.newPage());
  page.setDefaultTimeout(45_000); // bounds for a busy 2-core CI machine, not expectations
}, 180_000);

afterAll(async () => {
  await closeBrowser?.();
  await gw?.close();
});

describe.skipIf(!have)('web UI in chromium', () => {
  it('creates a task, shows the spoken text, and follows it live to a playable video', async () => {
    await page.goto(gw.url + '/');
    expect(await page.title()).toMatch(/heygem-gateway/);
    await page.fill('#text', 'The area is $\\pi r^2$ and it costs $5.');
    await page.waitForFunction(() => document.querySelector('[data-testid="spoken"]')?.textContent?.includes('pi r squared'));
    expect(await page.textContent('#count')).toMatch(/^38 \/ [\d,]+ characters$/);
    expect(await page.textContent('.changes')).toContain('five dollars');
    await shot('create');
    await page.click('button[type="submit"]');
    await page.waitForURL(/#\/tasks\/[0-9a-z]{26}$/);
    const id = page.url().split('/').pop()!;
    firstTask = id;
    // no reload: the page follows the task by SSE until the result appears
    await page.waitForSelector('[data-testid="result-video"]', { timeout: 60_000 });
    expect(await page.textContent('.badge')).toBe('completed');
    expect(await page.locator('.timeline [data-state="done"]').count()).toBe(6);
    // no avatar poster: the player starts at 0.1 s so the first frame shows instead of black
    expect(await page.getAttribute('[data-testid="result-video"]', 'src')).toBe(`/outputs/${id}.mp4#t=0.1`);
    expect(await page.getAttribute('[data-testid="speech-audio"]', 'src')).toBe(`/outputs/${id}.wav`);
    const href = await page.getAttribute('[data-testid="download"]', 'href');
    expect(href).toBe(`/api/download/${id}`);
    const res = await fetch(gw.url + href);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    // the player loads metadata and can seek (the output route serves byte ranges)
    const seeked = await page.evaluate(() => {
      const v = document.querySelector('[data-testid="result-video"]') as HTMLVideoElement;
      return new Promise<number>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no seek (readyState ${v.readyState})`)), 15_000);
        const seek = () => {
          v.addEventListener('seeked', () => (clearTimeout(t), resolve(v.currentTime)), { once: true });
          v.currentTime = Math.min(1, v.duration / 2);
        };
        if (v.readyState >= 1) seek();
        else v.addEventListener('loadedmetadata', seek, { once: true });
      });
    });
    expect(seeked).toBeGreaterThan(0);
    await shot('task');
  });

  it('shows errors next to the field they concern: client checks and API errors', async () => {
    await page.goto(gw.url + '/#/');
    await page.click('button[type="submit"]');
    expect(await page.textContent('#text-error')).toContain('Enter the text');
    await page.fill('#text', 'Hello there.');
    // wrong type: refused in the browser before any upload
    await page.setInputFiles('#video', { name: 'face.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') });
    expect(await page.textContent('#video-error')).toMatch(/Unsupported format \.gif/);
    // right name, not a video: the gateway's code (video_invalid) lands on the video field
    await page.setInputFiles('#video', { name: 'face.mp4', mimeType: 'video/mp4', buffer: Buffer.from('this is not a video at all') });
    expect(await page.locator('#video-error').count()).toBe(0);
    await page.click('button[type="submit"]');
    await page.waitForSelector('#video-error');
    expect(await page.textContent('#video-error')).toContain('video_invalid');
    expect(await page.locator('#text-error').count()).toBe(0);
    expect(page.url()).toMatch(/#\/$/); // stayed on the form
    await page.waitForFunction(() => document.querySelector('[data-testid="spoken"]')?.textContent === 'Hello there.');
    await shot('create-error');
  });

  it('updates the task list live by SSE, without reloading', async () => {
    await page.goto(gw.url + '/#/tasks');
    await page.waitForSelector('[data-testid="task-row"]');
    const before = await page.locator('[data-testid="task-row"]').count();
    const id = String((await submit(gw.url, 'A task submitted while the list is open.')).body.task_id);
    await page.waitForSelector(`[data-testid="task-row"][data-id="${id}"][data-status="completed"]`, { timeout: 60_000 });
    expect(await page.locator('[data-testid="task-row"]').count()).toBe(before + 1);
  });

  it('falls back to polling when the event stream is unavailable', async () => {
    const p = await ctx.newPage();
    try {
      await p.route('**/api/events*', (r) => r.abort());
      await p.goto(gw.url + '/#/tasks');
      await p.waitForSelector('[data-testid="task-row"]');
      const id = String((await submit(gw.url, 'A task seen by polling only.')).body.task_id);
      await p.waitForSelector(`[data-testid="task-row"][data-id="${id}"][data-status="completed"]`, { timeout: 60_000 });
    } finally {
      await p.close();
    }
  });

  it('lists tasks with queue positions, filters them, and cancels a queued one', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(String((await submit(gw.url, long(i))).body.task_id));
    await page.goto(gw.url + '/#/tasks');
    await page.waitForSelector(`[data-testid="task-row"][data-id="${ids[3]}"]`);
    // events carry no queue position: the list re-reads it from /api/tasks within a second
    await page.waitForFunction((id) => /#\d in queue/.test(document.querySelector(`[data-testid="task-row"][data-id="${id}"]`)?.textContent ?? ''), ids[3], { timeout: 5_000 });
    await page.goto(`${gw.url}/#/tasks/${ids[3]}`);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, cancel it' }).click(); // asked first
    await page.waitForFunction(() => document.querySelector('.badge')?.textContent === 'canceled');
    await page.getByTestId('task-canceled').waitFor(); // a neutral note, not a red error
    expect(await page.getByTestId('task-error').count()).toBe(0);
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.waitForFunction(() => document.querySelector('.badge')?.textContent !== 'canceled');
    await page.getByRole('button', { name: 'Cancel' }).click(); // and cancel it again, for the list below
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.waitForFunction(() => document.querySelector('.badge')?.textContent === 'canceled');
    await page.goto(gw.url + '/#/tasks');
    await page.waitForSelector(`[data-testid="task-row"][data-id="${ids[3]}"][data-status="canceled"]`);
    await page.selectOption('.filters select', 'canceled');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="task-row"]')].every((r) => r.getAttribute('data-status') === 'canceled'));
    await page.fill('input[type="search"]', 'number 3');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="task-row"]').length === 1);
    await page.selectOption('.filters select', '');
    await page.fill('input[type="search"]', '');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="task-row"]').length > 1);
    await shot('tasks');
  });

  it('shows one card per GPU slot with its task, and the queue', async () => {
    for (let i = 0; i < 4; i++) await submit(gw.url, long(10 + i));
    await page.goto(gw.url + '/#/farm');
    await page.waitForSelector('[data-testid="slot-card"]');
    expect(await page.locator('[data-testid="slot-card"]').count()).toBe(1);
    expect(await page.textContent('[data-testid="slot-card"] h2')).toContain('GPU 0');
    await page.waitForSelector('[data-testid="slot-card"] .slot-task [role="progressbar"]');
    await page.waitForSelector('[data-testid="queue"] li a');
    expect(await page.textContent('[data-testid="queue"]')).toMatch(/waiting/);
    await shot('farm');
    await page.setViewportSize(PHONE);
    await shot('farm-phone');
    await page.goto(gw.url + '/#/');
    await page.fill('#text', 'On a phone: 3 km in 10 min.');
    await page.waitForFunction(() => document.querySelector('[data-testid="spoken"]')?.textContent?.includes('kilometers'));
    // nothing wider than the screen
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot('create-phone');
    await page.goto(`${gw.url}/#/tasks/${firstTask}`);
    await page.waitForSelector('[data-testid="result-video"]');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot('task-phone');
    await page.setViewportSize(WIDE);
  });

  it('navigates by keyboard: skip link, nav links with the current page marked', async () => {
    await page.goto(gw.url + '/#/tasks');
    await page.reload(); // a fresh document: focus starts at the top
    await page.waitForSelector('[data-testid="task-row"]');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    expect(await page.getAttribute('nav[aria-label="Main"] a[aria-current="page"]', 'href')).toBe('#/tasks');
    await page.getByRole('link', { name: 'GPUs & queue' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/farm$/);
    await page.waitForFunction(() => document.title === 'GPUs & queue · heygem-gateway');
    // focus moved to the new page, so the next Tab continues inside it
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('shows stats of the finished tasks', async () => {
    await page.goto(gw.url + '/#/stats');
    await page.waitForSelector('[data-testid="stats-totals"]');
    expect(await page.textContent('[data-testid="stats-totals"]')).toMatch(/Completed\d+/);
    await shot('stats');
  });

  it('made no request outside the gateway and broke no content-security rule', () => {
    expect(foreign).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});

describe.skipIf(!have)('web UI against a gateway that requires API keys', () => {
  it('says a key is needed, then works everywhere once one is entered', async () => {
    const { t, tokens } = await scriptedGateway({ auth: { enabled: true } }, { keys: { alice: ['submit', 'read'] }, realMedia: true });
    const p = await ctx.newPage(); // another origin (port): its own localStorage, no key yet
    try {
      await p.goto(t.url + '/');
      await p.fill('#text', 'Hello with a key.');
      await p.click('button[type="submit"]');
      expect(await p.textContent('#form-error')).toMatch(/auth_required.*API key/);
      await p.getByRole('button', { name: 'API key' }).click();
      await p.fill('#apikey', tokens.alice);
      await p.getByRole('button', { name: 'Save' }).click(); // saves and reloads
      await p.waitForSelector('button:has-text("API key ✓")');
      await p.fill('#text', 'Hello with a key.');
      await p.click('button[type="submit"]');
      await p.waitForURL(/#\/tasks\/[0-9a-z]{26}$/);
      // status by header; the event stream and the video by ?access_token=
      await p.waitForSelector('[data-testid="result-video"]', { timeout: 60_000 });
      expect(await p.getAttribute('[data-testid="result-video"]', 'src')).toMatch(/\?access_token=hgw_/);
      await p.goto(t.url + '/#/tasks');
      await p.waitForSelector('[data-testid="task-row"][data-status="completed"]');
    } finally {
      await p.close();
      await t.close();
    }
  });
});
