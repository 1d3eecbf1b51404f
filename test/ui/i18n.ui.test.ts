/**
 * The UI in both of its languages, in a real browser (Debian chromium via playwright-core)
 * against a gateway on loopback with the preview engine: a browser whose language is Chinese
 * gets the Chinese UI (and `<html lang>`), creates a task from the Chinese example with the text's
 * language set, follows it to the finished video, sees an API error in Chinese by its code and the
 * GPU page; the switch to English is remembered over a reload; an English browser does the same in
 * English. Screenshots: test-artifacts/ui-{zh,en}-{create,task,farm}.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, submit, type TestGateway } from '../helpers/gateway.js';
import { ARTIFACTS, ensureUiBuilt, haveChromium, launchBrowser } from './browser.js';

const have = haveChromium();
const ZH_EXAMPLE = '这款手机售价2999元，比去年便宜了20%。现在下单，3天内发货！';

let gw: TestGateway;
beforeAll(async () => {
  if (!have) return;
  await ensureUiBuilt();
  gw = await startTestGateway({ preview: { slots: 1 } });
}, 180_000);
afterAll(async () => {
  await gw?.close();
});

/** Opens a browser in `locale`, runs `body` on its page, always closes it; the i18n libraries must not have warned. */
async function inBrowser(locale: string, body: (page: Page) => Promise<void>): Promise<void> {
  const { ctx, close } = await launchBrowser({ locale });
  const warnings: string[] = [];
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.on('console', (m) => /i18n|translation/i.test(m.text()) && warnings.push(`${m.type()}: ${m.text()}`));
    page.setDefaultTimeout(45_000); // bounds for a busy 2-core CI machine, not expectations
    await body(page);
    expect(warnings).toEqual([]);
  } finally {
    await close();
  }
}

const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
const text = async (page: Page, selector: string) => (await page.textContent(selector)) ?? '';

/** Keeps the one slot busy and a task waiting, so the GPU page shows a running task and a queue. */
async function busyFarm(words: string): Promise<void> {
  for (let i = 0; i < 3; i++) await submit(gw.url, `${words} ${i}. ${'Enough words to keep the preview engine busy for a moment. '.repeat(3)}`);
}

/** The GPU page with a task on the slot and one in the queue. */
async function openBusyFarm(page: Page, linkName: string): Promise<void> {
  await page.getByRole('link', { name: linkName }).click();
  await page.waitForSelector('[data-testid="slot-card"] .slot-task [role="progressbar"]');
  await page.waitForSelector('[data-testid="queue"] li a');
}

/** The form fields of the next POST /api/generate the page sends (multipart, parsed by the test). */
function nextGenerateFields(page: Page): Promise<Record<string, string>> {
  return new Promise((resolve) => {
    page.on('request', (r) => {
      if (r.method() !== 'POST' || !r.url().endsWith('/api/generate')) return;
      const fields: Record<string, string> = {};
      for (const m of (r.postData() ?? '').matchAll(/name="([^"]+)"\r\n\r\n([^\r]*)\r\n/g)) fields[m[1]] = m[2];
      resolve(fields);
    });
  });
}

/** Submits the form and follows the task page live until its video is there; returns the task id. */
async function submitAndFollow(page: Page): Promise<string> {
  await page.click('button[type="submit"]');
  await page.waitForURL(/#\/tasks\/[0-9a-z]{26}$/);
  await page.waitForSelector('[data-testid="result-video"]', { timeout: 60_000 });
  expect(await page.getAttribute('[role="status"] .badge', 'data-status')).toBe('completed');
  expect(await page.locator('.timeline [data-state="done"]').count()).toBe(6);
  return page.url().split('/').pop()!;
}

describe.skipIf(!have)('web UI in Chinese', () => {
  it('starts in Chinese for a Chinese browser, creates a task from the Chinese example and follows it, maps API errors, shows the GPUs', async () => {
    await inBrowser('zh-CN', async (page) => {
      await page.goto(gw.url + '/');
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      expect(await text(page, 'nav[aria-label="主导航"] a[aria-current="page"]')).toBe('创建');
      expect(await page.title()).toBe('创建 · heygem-gateway');
      expect(await text(page, 'h1')).toBe('创建视频');
      expect(await page.getAttribute('#text', 'placeholder')).toBe(ZH_EXAMPLE);

      // a client-side check, in Chinese
      await page.click('button[type="submit"]');
      expect(await text(page, '#text-error')).toBe('请输入要朗读的文本。');

      // an API error: the code is mapped to the Chinese catalog (the server's message is English)
      await page.fill('#text', '你好。');
      await page.setInputFiles('#video', { name: 'face.mp4', mimeType: 'video/mp4', buffer: Buffer.from('this is not a video at all') });
      await page.click('button[type="submit"]');
      await page.waitForSelector('#video-error');
      expect(await text(page, '#video-error')).toBe('该文件不是可读取的视频（video_invalid）');
      await page.getByRole('button', { name: '移除' }).click();

      await page.getByRole('button', { name: '使用示例' }).click();
      expect(await page.inputValue('#text')).toBe(ZH_EXAMPLE);
      await page.selectOption('#task-language', 'zh');
      expect(await text(page, '#task-language option:checked')).toBe('中文');
      await page.waitForFunction((ex) => document.querySelector('[data-testid="spoken"]')?.textContent?.startsWith(ex.slice(0, 4)), ZH_EXAMPLE);
      expect(await text(page, '#count')).toMatch(new RegExp(`^${ZH_EXAMPLE.length} / \\d{1,3}(,\\d{3})* 字$`));
      await shot(page, 'ui-zh-create');

      const sent = nextGenerateFields(page);
      const id = await submitAndFollow(page);
      expect(await sent).toMatchObject({ text: ZH_EXAMPLE, language: 'zh' });
      expect(await text(page, '[role="status"] .badge')).toBe('已完成');
      expect(await page.locator('.timeline li').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^排队/), expect.stringMatching(/^完成/)]));
      expect(await text(page, '[data-testid="download"]')).toBe('下载 MP4');
      // dates as a Chinese reader writes them
      expect(await text(page, '.facts')).toMatch(/创建时间\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}/);
      expect(await text(page, '.quote')).toBe(ZH_EXAMPLE);
      await shot(page, 'ui-zh-task');

      await page.getByRole('link', { name: '任务', exact: true }).click();
      await page.waitForSelector(`[data-testid="task-row"][data-id="${id}"]`);
      expect(await text(page, `[data-testid="task-row"][data-id="${id}"] .badge`)).toBe('已完成');
      expect(await text(page, `[data-testid="task-row"][data-id="${id}"] .meta`)).toMatch(/前/); // "… 前": a relative time

      await busyFarm('排队的任务');
      await openBusyFarm(page, 'GPU 与队列');
      expect(await page.title()).toBe('GPU 与队列 · heygem-gateway');
      expect(await text(page, '[data-testid="slot-card"] h2')).toBe('GPU 0 忙碌');
      expect(await page.getAttribute('[data-testid="slot-card"]', 'aria-label')).toBe('GPU 0，忙碌');
      expect(await text(page, '[data-testid="slot-card"] .facts')).toContain('健康检查');
      expect(await text(page, '#queue-h')).toMatch(/^队列 ?（\d+）$/);
      expect(await text(page, '[data-testid="queue"]')).toContain('已等待');
      await shot(page, 'ui-zh-farm');

      // the switch: English at once, and still English after a reload in this Chinese browser
      await page.selectOption('[data-testid="language-switch"]', 'en');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      expect(await text(page, '#gpus-h')).toMatch(/^GPUs/);
      await page.reload();
      await page.waitForSelector('[data-testid="slot-card"]');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await page.title()).toBe('GPUs & queue · heygem-gateway');
    });
  }, 240_000);
});

describe.skipIf(!have)('web UI in English', () => {
  it('starts in English for an English browser, creates a task from the English example and follows it, shows the GPUs', async () => {
    await inBrowser('en-US', async (page) => {
      await page.goto(gw.url + '/');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await text(page, 'h1')).toBe('Create a video');
      expect(await text(page, '[data-testid="language-switch"] option:checked')).toBe('English');
      await page.getByRole('button', { name: 'Use the example' }).click();
      const example = await page.inputValue('#text');
      expect(example).toMatch(/^This phone costs \$299/);
      await page.waitForFunction(() => document.querySelector('.changes')?.textContent?.includes('dollars'));
      await shot(page, 'ui-en-create');

      const sent = nextGenerateFields(page);
      await submitAndFollow(page);
      // `auto` is the gateway's default: not sent
      expect(await sent).toEqual({ text: example });
      expect(await text(page, '[role="status"] .badge')).toBe('completed');
      expect(await text(page, '.facts')).toMatch(/Created[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M/);
      await shot(page, 'ui-en-task');

      await busyFarm('A queued task');
      await openBusyFarm(page, 'GPUs & queue');
      expect(await text(page, '[data-testid="slot-card"] h2')).toBe('GPU 0 busy');
      expect(await text(page, '[data-testid="slot-card"] .facts')).toContain('Health check');
      expect(await text(page, '[data-testid="queue"]')).toContain('waiting');
      await shot(page, 'ui-en-farm');

      // and the other way: 中文 chosen here is remembered too
      await page.selectOption('[data-testid="language-switch"]', 'zh-CN');
      await page.reload();
      await page.waitForSelector('[data-testid="slot-card"]');
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      expect(await text(page, '#gpus-h')).toMatch(/^GPU/);
      expect(await text(page, '#queue-h')).toMatch(/^队列/);
    });
  }, 240_000);
});
