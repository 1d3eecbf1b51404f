/**
 * The Templates and Usage pages in chromium: a Chinese script with {{variables}} is highlighted,
 * its filled script and speech text follow the variables form live ({{price}} = 2999 is spoken
 * 两千九百九十九), it is saved, rendered to a task, and the Usage page then charts that video.
 * Screenshots: test-artifacts/ui-templates-preview.png, test-artifacts/ui-usage.png.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/gateway.js';
import { ARTIFACTS } from './browser.js';
import { scriptedUiSuite } from './scripted-ui.js';

const ui = scriptedUiSuite();

describe.skipIf(!ui.have)('Templates page', () => {
  it('previews the filled script and its speech text live, saves, renders, and the usage page charts it', async () => {
    const { gw, ctx } = ui;
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.setDefaultTimeout(60_000);
    await page.goto(`${gw.url}/#/templates`);
    await page.getByLabel('Name').fill('新品');
    await page.getByLabel('Script', { exact: true }).fill('这款{{产品}}售价{{price}}元，比去年便宜了{{折扣}}。');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="tpl-highlight"] mark').length === 3);
    expect(await page.locator('[data-testid="tpl-highlight"] mark').allTextContents()).toEqual(['{{产品}}', '{{price}}', '{{折扣}}']);
    await page.getByTestId('var-产品').fill('手机');
    await page.getByTestId('var-price').fill('2999');
    await page.getByTestId('var-折扣').fill('20%');
    await page.waitForFunction(() => document.querySelector('[data-testid="tpl-filled"]')?.textContent === '这款手机售价2999元，比去年便宜了20%。');
    await page.waitForFunction(() => document.querySelector('[data-testid="tpl-spoken"]')?.textContent?.includes('两千九百九十九'));
    expect(await page.getByTestId('tpl-spoken').textContent()).toContain('百分之二十');
    await page.screenshot({ path: `${ARTIFACTS}/ui-templates-preview.png`, fullPage: true });

    await page.getByTestId('tpl-save').click();
    await page.waitForSelector('[data-testid="tpl-list"] li');
    expect(await page.getByTestId('tpl-list').textContent()).toContain('新品');
    await page.getByTestId('tpl-render').click();
    await page.waitForURL(/#\/tasks\/[0-9a-z]{26}$/);
    const taskId = page.url().split('/').pop()!;
    const task = await waitFor(async () => {
      const x = await gw.gw.store.get(taskId);
      return x?.state === 'completed' ? x : undefined;
    }, 60_000);
    expect(task.normalizedText).toContain('两千九百九十九');
    expect(await gw.gw.templates.usedBy(taskId)).toMatchObject({ version: 1 });

    await waitFor(async () => (await gw.gw.usage.me(null)).used.videos === 1);
    await page.goto(`${gw.url}/#/usage`);
    await page.waitForSelector('[data-testid="usage-chart"] rect.video');
    const axis = await page.locator('[data-testid="usage-chart"] .axis-title').allTextContents();
    expect(axis).toEqual(['Seconds', 'Day of the month (UTC)']);
    expect(await page.getByTestId('usage-me').textContent()).toContain('no budget');
    await page.screenshot({ path: `${ARTIFACTS}/ui-usage.png`, fullPage: true });
  }, 180_000);
});
