/**
 * The studio's everyday work in Chromium, at a 1366×900 desk and on a 390×844 phone, against a
 * gateway on loopback with the preview engine: a task renamed and deleted from its page, the
 * tasks list's filters in the address, multi-select with a ZIP and bulk delete, play from a row,
 * a batch at its own address with its metadata as columns, the queue folded by task, the phone
 * menu, Listen on the voices page — and axe-core on every page, light and dark, with no serious
 * or critical violation. Screenshots: test-artifacts/workbench-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, submit, waitFinal, type TestGateway } from '../helpers/gateway.js';
import { allPages, auditPages, sendCsvBatch } from './studio-steps.js';
import { ARTIFACTS, ensureUiBuilt, haveChromium, PHONE, withPage } from './browser.js';

const DESK = { width: 1366, height: 900 };
const have = haveChromium();
let gw: TestGateway;
beforeAll(async () => {
  if (!have) return;
  await ensureUiBuilt();
  gw = await startTestGateway({ preview: { slots: 1 } });
}, 180_000);
afterAll(async () => {
  await gw?.close();
});

const inBrowser = (body: (page: Page) => Promise<void>, locale = 'en-US'): Promise<void> => withPage({ locale, viewport: DESK }, body);

async function finished(text: string): Promise<string> {
  const id = String((await submit(gw.url, text)).body.task_id);
  expect((await waitFinal(gw.url, id, 120_000)).status).toBe('completed');
  return id;
}

const json = async (path: string, init?: RequestInit) => (await fetch(`${gw.url}${path}`, init)).json() as Promise<Record<string, any>>;
/** The page's width, and (for the failure message) the outermost elements that reach past the viewport. */
async function noOverflow(page: Page): Promise<number> {
  const r = await page.evaluate(() => {
    const wide = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll'));
    const outer = wide.filter((e) => !wide.some((o) => o !== e && o.contains(e) && o.getBoundingClientRect().right >= e.getBoundingClientRect().right));
    return { width: document.documentElement.scrollWidth, culprits: outer.slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)})`) };
  });
  if (r.width > window_(page)) console.warn(`[workbench] wider than the viewport: ${r.culprits.join(', ')}`);
  return r.width;
}
const window_ = (page: Page) => page.viewportSize()?.width ?? 0;

describe.skipIf(!have)('workbench: a task of its own', () => {
  it('renames a task (heading, tab, list, download name) and deletes it with its files', async () => {
    const id = await finished('这款手机售价2999元，比去年便宜了20%。');
    await inBrowser(async (page) => {
      await page.goto(`${gw.url}/#/tasks/${id}`);
      await page.getByTestId('task-heading').waitFor();
      expect(await page.getByTestId('task-heading').textContent()).toBe('这款手机售价2999元，比去年便…');
      await page.getByTestId('rename').click();
      const input = page.getByTestId('title-input');
      // Escape leaves the title alone and puts focus back on Rename
      await input.fill('Nope');
      await input.press('Escape');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('rename');
      await page.getByTestId('rename').click();
      await input.fill('Phone launch 手机');
      await input.press('Enter');
      await expect.poll(() => page.getByTestId('task-heading').textContent()).toBe('Phone launch 手机');
      await expect.poll(() => page.title()).toBe('completed · Phone launch 手机 · heygem-gateway');
      const res = await fetch(`${gw.url}${await page.getByTestId('download').getAttribute('href')}`);
      expect(res.headers.get('content-disposition')).toMatch(/filename="phone-launch-\d{4}-\d\d-\d\d\.mp4"/);
      await res.body?.cancel();
      await page.screenshot({ path: `${ARTIFACTS}/workbench-task-wide.png`, fullPage: true });
      await page.setViewportSize(PHONE);
      expect(await noOverflow(page)).toBeLessThanOrEqual(PHONE.width);
      await page.screenshot({ path: `${ARTIFACTS}/workbench-task-phone.png`, fullPage: true });

      await page.getByTestId('delete-task').click();
      const dialog = page.getByTestId('delete-task-dialog');
      expect(await dialog.textContent()).toContain('Delete “Phone launch 手机” with its video');
      await dialog.getByRole('button', { name: 'Yes, delete' }).click();
      await page.waitForURL(/#\/tasks$/);
      expect((await fetch(`${gw.url}/api/status/${id}`)).status).toBe(404);
    });
  });
});

describe.skipIf(!have)('workbench: the tasks list', () => {
  it('keeps filters, search and page in the address; selects rows for a ZIP and a bulk delete; plays a row', async () => {
    const a = await finished('Gate C22 costs $5.');
    const b = await finished('Second video for the list.');
    await inBrowser(async (page) => {
      await page.goto(`${gw.url}/#/tasks`);
      await page.getByTestId('task-search').fill('Gate C22');
      await page.waitForURL(/#\/tasks\?q=Gate\+C22$/);
      await page.getByTestId('status-filter').selectOption('completed');
      await page.waitForURL(/#\/tasks\?status=completed&q=Gate\+C22$/);
      await page.reload();
      await page.locator(`[data-testid="task-row"][data-id="${a}"]`).waitFor();
      expect(await page.getByTestId('task-search').inputValue()).toBe('Gate C22');
      expect(await page.getByTestId('status-filter').inputValue()).toBe('completed');
      expect(await page.getByTestId('task-row').count()).toBe(1);

      // play from the row, no page change
      await page.getByTestId('row-play').click();
      await page.waitForFunction(() => ((document.querySelector('[data-testid="row-video"]') as HTMLVideoElement | null)?.readyState ?? 0) >= 1);
      expect(await page.getByTestId('row-download').getAttribute('href')).toBe(`/api/download/${a}`);

      await page.goto(`${gw.url}/#/tasks?status=completed`);
      await page.locator(`[data-testid="task-row"][data-id="${b}"]`).waitFor();
      for (const id of [a, b]) await page.locator(`[data-testid="task-row"][data-id="${id}"] [data-testid="task-pick"]`).check();
      const zip = (await page.getByTestId('bulk-zip').getAttribute('href'))!;
      expect(zip).toMatch(/^\/api\/tasks\/results\.zip\?ids=/);
      expect(new Set(new URL(zip, gw.url).searchParams.get('ids')!.split(','))).toEqual(new Set([a, b]));
      const res = await fetch(`${gw.url}${zip}`);
      expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/zip']);
      await res.arrayBuffer();
      await page.screenshot({ path: `${ARTIFACTS}/workbench-tasks-wide.png`, fullPage: true });
      await page.setViewportSize(PHONE);
      expect(await noOverflow(page)).toBeLessThanOrEqual(PHONE.width);
      await page.screenshot({ path: `${ARTIFACTS}/workbench-tasks-phone.png`, fullPage: true });

      await page.getByTestId('bulk-delete').click();
      await page.getByTestId('bulk-delete-dialog').getByRole('button', { name: 'Yes, delete' }).click();
      await expect.poll(async () => Promise.all([a, b].map(async (id) => (await fetch(`${gw.url}/api/status/${id}`)).status))).toEqual([404, 404]);
      await page.locator(`[data-testid="task-row"][data-id="${a}"]`).waitFor({ state: 'detached' });
    });
  });
});

describe.skipIf(!have)('workbench: batches', () => {
  it('opens a batch at its own address with text and metadata columns, a ZIP named by a column, and fits a phone', async () => {
    await inBrowser(async (page) => {
      const id = await sendCsvBatch(page, gw.url, { field: 'CSV rows', send: 'Send batch' }, 'text,sku,campaign\n"Hello, one",A-12,winter launch 2027\n这款手机售价2999元。,B-7,spring\n');
      const table = page.getByTestId('batch-rows');
      await table.locator('tbody tr:nth-child(2)').waitFor();
      expect(await table.locator('thead th').allTextContents()).toEqual(['Row', 'Text', 'sku', 'campaign', 'Status', 'Result']);
      expect(await table.locator('tbody tr:nth-child(2) td').nth(1).textContent()).toBe('这款手机售价2999元。');
      expect(await table.locator('tbody tr:nth-child(1) td').nth(2).textContent()).toBe('A-12');
      await page.getByTestId('name-by').selectOption('sku');
      expect(await page.getByTestId('batch-zip').getAttribute('href')).toBe(`/api/batches/${id}/results.zip?name_by=sku`);
      await page.waitForFunction(() => document.querySelector('[data-testid="batch"] h2')?.textContent?.includes('completed'), undefined, { timeout: 120_000 });
      await page.screenshot({ path: `${ARTIFACTS}/workbench-batch-wide.png`, fullPage: true });
      // a reload stays on the batch
      await page.reload();
      await table.locator('tbody tr').first().waitFor();
      await page.setViewportSize(PHONE);
      expect(await noOverflow(page)).toBeLessThanOrEqual(PHONE.width);
      await page.screenshot({ path: `${ARTIFACTS}/workbench-batch-phone.png`, fullPage: true });
    });
  }, 180_000);
});

describe.skipIf(!have)('workbench: comfort', () => {
  it('puts the phone header in one row with a menu that Escape closes, back to its button', async () => {
    await inBrowser(async (page) => {
      await page.setViewportSize(PHONE);
      await page.goto(`${gw.url}/#/tasks`);
      const header = page.locator('header.top');
      await header.waitFor();
      const closed = (await header.boundingBox())!.height;
      expect(closed).toBeLessThan(64); // one row
      expect(await page.locator('nav[aria-label="Main"]').isVisible()).toBe(false);
      await page.screenshot({ path: `${ARTIFACTS}/workbench-menu-phone-closed.png` });
      await page.getByTestId('menu-button').click();
      await page.getByRole('link', { name: 'Voices' }).waitFor();
      await page.screenshot({ path: `${ARTIFACTS}/workbench-menu-phone-open.png` });
      await page.getByRole('link', { name: 'Stats' }).focus();
      await page.keyboard.press('Escape');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('menu-button');
      await page.locator('nav[aria-label="Main"]').waitFor({ state: 'hidden' });
      await page.getByTestId('menu-button').click();
      await page.getByRole('link', { name: 'Voices' }).click();
      await page.waitForURL(/#\/voices$/);
      // a chosen page closes it (after the hash change has been handled: a condition, not a moment)
      await page.locator('nav[aria-label="Main"]').waitFor({ state: 'hidden' });
    });
  });

  it('shows the queue by task with parts folded, one top-level heading, ETAs in order', async () => {
    const long = Array.from({ length: 12 }, (_, i) => `Sentence number ${i + 1} of a long script keeps the voice talking for a while.`).join(' ');
    const ids = [String((await submit(gw.url, `Busy first. ${'Enough words to keep the engine busy. '.repeat(4)}`)).body.task_id)];
    ids.push(String((await submit(gw.url, long)).body.task_id));
    ids.push(String((await submit(gw.url, 'A short one after it.')).body.task_id));
    await inBrowser(async (page) => {
      await page.goto(`${gw.url}/#/farm`);
      await page.getByTestId('slot-card').first().waitFor();
      expect(await page.locator('main h1').count()).toBe(1);
      // the long script is one row however many of its parts wait (the folding itself: web/src/lib/farm.test.ts)
      const rows = await page.$$eval('[data-testid="queue-task"] > a', (links) => links.map((a) => a.getAttribute('href')));
      expect(rows.filter((h) => h === `#/tasks/${ids[1]}`).length).toBeLessThanOrEqual(1);
      // ETAs go up with the place in the queue (a later task is never promised sooner)
      const etas = (await page.$$eval('[data-testid="queue-task"]', (li) => li.map((e) => e.getAttribute('data-eta')))).filter((e) => e !== null).map(Number);
      expect(etas).toEqual([...etas].sort((x, y) => x - y));
      await page.screenshot({ path: `${ARTIFACTS}/workbench-queue-wide.png`, fullPage: true });
      await page.setViewportSize(PHONE);
      expect(await noOverflow(page)).toBeLessThanOrEqual(PHONE.width);
      await page.screenshot({ path: `${ARTIFACTS}/workbench-queue-phone.png`, fullPage: true });
    });
    for (const id of ids) await fetch(`${gw.url}/api/tasks/${id}/cancel`, { method: 'POST' });
  });

  it('listens to a voice on the voices page', async () => {
    const sp = await json('/api/speech-preview', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'A voice for the library, long enough to clone.' }) });
    const wav = new Blob([await (await fetch(`${gw.url}${sp.audio_url}`)).arrayBuffer()], { type: 'audio/wav' });
    const form = new FormData();
    form.set('audio', wav, 'narrator.wav');
    form.set('name', 'Narrator');
    const voiceId = String((await json('/api/voices', { method: 'POST', body: form })).id);
    await inBrowser(async (page) => {
      await page.goto(`${gw.url}/#/voices`);
      const card = page.locator(`[data-testid="voice-card"][data-id="${voiceId}"]`);
      await card.getByTestId('listen').click();
      await card.getByTestId('listen-audio').waitFor();
      await page.screenshot({ path: `${ARTIFACTS}/workbench-voices-listen-wide.png`, fullPage: true });
      await page.setViewportSize(PHONE);
      expect(await noOverflow(page)).toBeLessThanOrEqual(PHONE.width);
      await page.screenshot({ path: `${ARTIFACTS}/workbench-voices-listen-phone.png`, fullPage: true });
    });
    await fetch(`${gw.url}/api/voices/${voiceId}`, { method: 'DELETE' });
  });
});

describe.skipIf(!have)('workbench: accessibility (axe-core)', () => {
  it('finds no serious or critical violation on any page, light and dark', async () => {
    const task = await finished('Gate C22 costs $5.');
    const batch = String((await json('/api/batches', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rows: [{ text: 'One row.', metadata: { sku: 'A-1' } }] }) })).batch_id);
    let found: string[] = [];
    await inBrowser(async (page) => {
      found = await auditPages(page, gw.url, allPages(task, batch), 'Loading');
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.goto(`${gw.url}/#/tasks`);
      await page.getByTestId('task-row').first().waitFor();
      await page.screenshot({ path: `${ARTIFACTS}/workbench-tasks-dark.png`, fullPage: true });
    });
    expect(found).toEqual([]);
  }, 300_000);
});
