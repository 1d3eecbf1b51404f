/**
 * The create page's output and caption choices in Chromium (docs/output.md): choosing a caption
 * preset shows it drawn on a frame of the face video (POST /api/caption-styles/preview), in
 * Chinese with the CJK preset; the chosen options go with the task. Screenshot:
 * test-artifacts/caption-preview-{en,zh}.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFinal, type TestGateway } from '../helpers/gateway.js';
import { ARTIFACTS, ensureUiBuilt, haveChromium, launchBrowser } from './browser.js';

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

describe.skipIf(!have)('create page: output and caption style', () => {
  it('shows a live preview of the chosen preset on the face, and the task carries the choices', { timeout: 180_000 }, async () => {
    const { ctx, close } = await launchBrowser({ locale: 'zh-CN' });
    try {
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      page.setDefaultTimeout(45_000);
      await page.goto(gw.url);
      await page.locator('#text').fill('这款手机售价2999元，比去年便宜了20%。现在下单，3天内发货！');
      const options = page.getByTestId('output-options');
      await options.waitFor();
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/caption-styles/preview') && r.request().method() === 'POST' && r.request().postData()?.includes('zh-default') === true);
      await page.getByTestId('caption-style').selectOption('zh-default');
      expect((await answered).status()).toBe(200);
      const img = page.getByTestId('caption-preview');
      await page.waitForFunction(() => {
        const i = document.querySelector<HTMLImageElement>('[data-testid="caption-preview"]');
        return !!i && i.complete && i.naturalWidth > 0 && i.src.startsWith('blob:');
      });
      const size = await img.evaluate((i: HTMLImageElement) => ({ w: i.naturalWidth, h: i.naturalHeight }));
      expect(size.w).toBeGreaterThan(100);
      await page.getByTestId('output-captions').selectOption('burn');
      await page.getByTestId('output-aspect').selectOption('1:1');
      await options.screenshot({ path: `${ARTIFACTS}/caption-preview-zh.png` });
      await page.screenshot({ path: `${ARTIFACTS}/caption-preview-page-zh.png`, fullPage: true });
      await page.locator('button[type="submit"]').click();
      await page.waitForURL(/#\/tasks\//);
      const id = /#\/tasks\/([0-9a-z]+)/.exec(page.url())![1];
      const s = (await waitFinal(gw.url, id, 150_000)) as Record<string, any>;
      expect(s.status).toBe('completed');
      expect(s.output).toMatchObject({ aspect: '1:1', format: 'mp4' });
      expect(s.caption_style).toMatchObject({ name: 'zh-default' });
      expect(s.result.data).toMatchObject({ captions_burned: true, output: { framing: expect.any(String) } });
    } finally {
      await close();
    }
  });
});
