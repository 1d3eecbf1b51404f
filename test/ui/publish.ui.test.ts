/**
 * The task page in chromium shows each publish target's result as it settles: one target
 * published (with its link), one down for good (failed, with the provider's error).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeS3 } from '../fakes/s3.fake.js';
import { FakeVimeo } from '../fakes/vimeo.fake.js';
import { startTestGateway, submit, waitFinal, type TestGateway } from '../helpers/gateway.js';
import { ARTIFACTS, ensureUiBuilt, haveChromium, launchBrowser } from './browser.js';

const have = haveChromium();
let gw: TestGateway;
let vimeo: FakeVimeo;
let s3: FakeS3;
let closeBrowser: (() => Promise<void>) | undefined;
let ctx: Awaited<ReturnType<typeof launchBrowser>>['ctx'];

beforeAll(async () => {
  if (!have) return;
  await ensureUiBuilt();
  vimeo = await new FakeVimeo().start();
  vimeo.down = true;
  s3 = await new FakeS3().start();
  gw = await startTestGateway(
    {
      publish: {
        targets: [
          { id: 'vimeo', type: 'vimeo', apiUrl: vimeo.url },
          { id: 'cdn', type: 's3', bucket: s3.bucket, region: s3.region, endpoint: s3.url, forcePathStyle: true, publicBaseUrl: 'https://cdn.example.com' },
        ],
        maxAttempts: 2,
        retryBaseDelayMs: 300,
      },
    },
    { publishEnv: { HEYGEM_PUBLISH_VIMEO_ACCESS_TOKEN: vimeo.token, HEYGEM_PUBLISH_CDN_ACCESS_KEY_ID: s3.accessKeyId, HEYGEM_PUBLISH_CDN_SECRET_ACCESS_KEY: s3.secretAccessKey } },
  );
  ({ ctx, close: closeBrowser } = await launchBrowser());
}, 180_000);

afterAll(async () => {
  await closeBrowser?.();
  await gw?.close();
  await vimeo?.stop();
  await s3?.stop();
});

describe.skipIf(!have)('task page: publishing', () => {
  it('shows per-target results, updating until every upload settled', async () => {
    const r = await submit(gw.url, 'A video for the publishing table.');
    const id = String(r.body.task_id);
    expect((await waitFinal(gw.url, id, 60_000)).status).toBe('completed');
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.setDefaultTimeout(60_000);
    await page.goto(`${gw.url}/#/tasks/${id}`);
    await page.waitForSelector('[data-testid="publications"] tr[data-state="failed"]');
    await page.waitForSelector('[data-testid="publications"] tr[data-state="done"]');
    const done = page.locator('[data-testid="publications"] tr[data-state="done"]');
    expect(await done.textContent()).toContain('cdn');
    expect(await done.locator('a').getAttribute('href')).toBe(`https://cdn.example.com/${id}.mp4`);
    const failed = page.locator('[data-testid="publications"] tr[data-state="failed"]');
    expect(await failed.textContent()).toMatch(/vimeo.*failed.*2.*HTTP 503/s);
    await page.screenshot({ path: `${ARTIFACTS}/task-publications.png`, fullPage: true });
  }, 150_000); // a preview render, two uploads with a retry and a browser on a busy 2-core machine
});
