/**
 * A browser suite on one scripted gateway: chromium and the gateway start before the file's
 * tests (when chromium is installed) and stop after them. `ui.gw` / `ui.ctx` are set by then.
 */
import { afterAll, beforeAll } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import type { TestGateway } from '../helpers/gateway.js';
import { scriptedGateway } from '../helpers/scripted.js';
import { ensureUiBuilt, haveChromium, launchBrowser } from './browser.js';

export function scriptedUiSuite(opts: Parameters<typeof scriptedGateway>[1] = {}): { have: boolean; gw: TestGateway; ctx: BrowserContext } {
  const ui = { have: haveChromium() } as { have: boolean; gw: TestGateway; ctx: BrowserContext };
  let closeBrowser: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (!ui.have) return;
    await ensureUiBuilt();
    ({ t: ui.gw } = await scriptedGateway({}, opts));
    ({ ctx: ui.ctx, close: closeBrowser } = await launchBrowser());
  }, 180_000);
  afterAll(async () => {
    await closeBrowser?.();
    await ui.gw?.close();
  });
  return ui;
}
