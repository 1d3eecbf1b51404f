/**
 * The output check in Chromium (docs/checks.md): over protocol fakes where GPU 0 returns black
 * results, a task retried on GPU 1 shows what the check found on its page ("Output check": the
 * code, the GPU and the attempt), and the GPU page shows GPU 0 degraded with the command that
 * clears it — in Chinese and English. Screenshots: test-artifacts/checks-{task,farm}-{zh,en}.png.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startGatewayOnFarm } from '../helpers/farm.js';
import { submit, waitFinal } from '../helpers/gateway.js';
import { outputCase } from '../helpers/output-fixtures.js';
import { ARTIFACTS, ensureUiBuilt, haveChromium, launchBrowser } from './browser.js';

const have = haveChromium();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

describe.skipIf(!have)('output check in the UI', () => {
  it('task page lists the findings; GPU page shows the degraded slot', { timeout: 300_000 }, async () => {
    await ensureUiBuilt();
    const { farm, t } = await startGatewayOnFarm(cleanups, {
      gpus: 2,
      ttsMs: 20,
      dirPrefix: 'hg-checks-ui-',
      farm: { renderMs: 100 },
      gateway: { scheduler: { retryBaseDelayMs: 20, healthProbeIntervalMs: 200 }, checks: { output: { degradeAfter: 1, probeAfterMs: 3_600_000 } } },
    });
    farm.slots[0].video.setOptions({ spoil: 'black' });
    const r = await submit(t.url, '这款手机售价2999元，比去年便宜了20%。欢迎大家来体验。', { path: await outputCase('good') });
    const id = String(r.body.task_id);
    expect(await waitFinal(t.url, id, 240_000)).toMatchObject({ status: 'completed', gpu_id: 1 });
    for (const [locale, lang, heading, degraded] of [['zh-CN', 'zh', '成片检查', '已降级'], ['en-US', 'en', 'Output check', 'degraded']] as const) {
      const { ctx, close } = await launchBrowser({ locale });
      cleanups.push(close);
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      page.setDefaultTimeout(45_000);
      await page.goto(`${t.url}/#/tasks/${id}`);
      const checks = page.getByTestId('task-checks');
      await checks.waitFor();
      expect(await checks.locator('h2').textContent()).toContain(heading);
      const item = checks.locator('li[data-code="output_black"]');
      expect(await item.count()).toBe(1);
      // a black result is reported as black, not also as frozen
      expect(await checks.locator('li').count()).toBe(1);
      expect(await item.textContent()).toMatch(/0/);
      await page.screenshot({ path: `${ARTIFACTS}/checks-task-${lang}.png`, fullPage: true });
      await page.goto(`${t.url}/#/farm`);
      const card = page.locator('[data-testid="slot-card"][data-state="degraded"]');
      await card.waitFor();
      expect(await card.locator('.badge').textContent()).toContain(degraded);
      expect(await card.getByTestId('slot-degraded').textContent()).toContain('heygem-gateway slots clear 0');
      expect(await page.locator('[data-testid="slot-card"][data-state="degraded"]').count()).toBe(1);
      await page.screenshot({ path: `${ARTIFACTS}/checks-farm-${lang}.png`, fullPage: true });
    }
  });
});
