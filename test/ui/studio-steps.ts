/**
 * Steps the studio's browser suites share: an axe-core audit of every page in both themes, and
 * sending a pasted CSV batch (whatever the UI language: the labels come from the caller).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

// evaluated through the debugger protocol: the gateway's CSP (script-src 'self') refuses an injected <script>
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Every page of the UI, with a finished task and a batch for the detail pages. */
export const allPages = (task: string, batch: string): string[] =>
  ['#/', `#/from/${task}`, '#/tasks', `#/tasks/${task}`, '#/avatars', '#/voices', '#/batches', `#/batches/${batch}`, '#/templates', '#/farm', '#/stats', '#/usage'];

/**
 * axe-core on each page in light and dark: "<scheme> <page>: <rule> (<impact>): <targets>" for
 * each serious or critical violation (none expected). `loading` is the UI's loading text, waited
 * away before the page is judged.
 */
export async function auditPages(page: Page, url: string, pages: string[], loading: string): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const hash of pages) {
      await page.goto(`${url}/${hash}`);
      await page.waitForFunction((text) => !document.querySelector('main')?.textContent?.includes(text), loading);
      await page.locator('main h1').first().waitFor();
      await page.evaluate(AXE);
      const violations = await page.evaluate(async () => {
        const r = await (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe.run(document, { resultTypes: ['violations'] });
        return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      });
      for (const v of violations) found.push(`${scheme} ${hash}: ${v}`);
    }
  }
  return found;
}

/** Pastes `csv` on the Batches page, sends it, and answers the batch id from its own address once its rows show. */
export async function sendCsvBatch(page: Page, url: string, ui: { field: string; send: string }, csv: string): Promise<string> {
  await page.goto(`${url}/#/batches`);
  await page.getByLabel(ui.field).fill(csv);
  await page.getByRole('button', { name: ui.send }).click();
  await page.waitForURL(/#\/batches\/[0-9a-z]{26}$/);
  await page.getByTestId('batch-rows').locator('tbody tr').first().waitFor();
  return /#\/batches\/([0-9a-z]{26})$/.exec(page.url())![1];
}
