/**
 * The Batches page in chromium: paste a CSV, send it, follow the batch (at its own address) to
 * completed with each row's metadata in its own column, and a ZIP link to the results.
 */
import { describe, expect, it } from 'vitest';
import { scriptedUiSuite } from './scripted-ui.js';

const ui = scriptedUiSuite({ slots: 2 });

describe.skipIf(!ui.have)('Batches page', () => {
  it('sends a pasted CSV and follows the batch to completed', async () => {
    const { gw, ctx } = ui;
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
