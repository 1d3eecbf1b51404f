/**
 * The Batches page in chromium: paste a CSV, send it, follow the batch (at its own address) to
 * completed with each row's metadata in its own column, and a ZIP link to the results.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedGateway } from '../helpers/scripted.js';
import type { TestGateway } from '../helpers/gateway.js';
import { ensureUiBuilt, haveChromium, launchBrowser } from './browser.js';

const have = haveChromium();
let gw: TestGateway;
let closeBrowser: (() => Promise<void>) | undefined;
let ctx: Awaited<ReturnType<typeof launchBrowser>>['ctx'];

beforeAll(async () => {
  if (!have) return;
  await ensureUiBuilt();
  ({ t: gw } = await scriptedGateway({}, { slots: 2 }));
  ({ ctx, close: closeBrowser } = await launchBrowser());
}, 180_000);

afterAll(async () => {
  await closeBrowser?.();
  await gw?.close();
});

describe.skipIf(!have)('Batches page', () => {
  it('sends a pasted CSV and follows the batch to completed', async () => {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.setDefaultTimeout(60_000);
    await page.goto(`${gw.url}/#/batches`);
    await page.getByLabel('CSV rows').fill('text,lesson\n"Hello, one",1\nTwo,2\n');
    await page.getByRole('button', { name: 'Send batch' }).click();
    await page.waitForSelector('[data-testid="batch"] tbody tr:nth-child(2)');
    await page.waitForFunction(() => document.querySelector('[data-testid="batch"] h2')?.textContent?.includes('completed'), undefined, { timeout: 60_000 });
    const text = (await page.locator('[data-testid="batch"]').textContent()) ?? '';
    expect(text).toContain('completed 2');
    expect(page.url()).toMatch(/#\/batches\/[0-9a-z]{26}$/);
    expect(await page.locator('[data-testid="batch"] thead th').nth(2).textContent()).toBe('lesson');
    expect(await page.locator('[data-testid="batch"] tbody tr:first-child td').nth(2).textContent()).toBe('1');
    expect(await page.getByRole('link', { name: /Download finished videos/ }).getAttribute('href')).toMatch(/^\/api\/batches\/[0-9a-z]{26}\/results\.zip$/);
  }, 120_000);
});
