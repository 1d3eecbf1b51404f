/**
 * Shared set-up of the browser tests: Debian chromium driven by playwright-core with a fresh
 * profile, and the UI built once if web/dist is missing.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = 'test-artifacts';
export const WIDE = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Whether the browser tests can run; says why once when they can't. */
export function haveChromium(): boolean {
  const have = existsSync(CHROMIUM);
  if (!have) console.warn(`[ui e2e] skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);
  return have;
}

export async function ensureUiBuilt(): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (existsSync('web/dist/index.html')) return;
  await promisify(execFile)(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts'], { timeout: 120_000 });
}

/**
 * A persistent context on a throw-away profile (playwright-core needs launchPersistentContext for
 * that). `locale` is the browser's language (navigator.languages, Accept-Language), which the UI
 * starts in: English unless a test asks for another, whatever the machine's own locale.
 */
export async function launchBrowser(opts: { locale?: string } = {}): Promise<{ ctx: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'hg-chrome-'));
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: WIDE, timeout: 60_000, locale: opts.locale ?? 'en-US' });
  return {
    ctx,
    async close() {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * One fresh browser for `body`: a page in `locale` at `viewport` (the launch default when
 * absent), with a generous default timeout — a bound for a busy 2-core machine, not an
 * expectation — closed whatever happens.
 */
export async function withPage(opts: { locale?: string; viewport?: { width: number; height: number } }, body: (page: Page) => Promise<void>): Promise<void> {
  const { ctx, close } = await launchBrowser({ locale: opts.locale });
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.setDefaultTimeout(45_000);
    if (opts.viewport) await page.setViewportSize(opts.viewport);
    await body(page);
  } finally {
    await close();
  }
}
