/**
 * The UI's colours, measured from its stylesheet (no browser): in light and dark, the focus ring
 * has at least 3:1 against every surface it can sit on, body and muted text at least 4.5:1.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** WCAG 2 relative luminance and contrast of two #rrggbb colours. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};

const css = readFileSync(new URL('../../web/src/styles.css', import.meta.url), 'utf8');
/** The custom properties of the first rule whose selector starts with `selector`. */
function vars(selector: string): Record<string, string> {
  const at = css.indexOf(`${selector} {`);
  expect(at, selector).toBeGreaterThanOrEqual(0);
  const body = css.slice(at, css.indexOf('}', at));
  return Object.fromEntries([...body.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})/g)].map((m) => [m[1], m[2].toLowerCase()]));
}

describe('UI colours (web/src/styles.css)', () => {
  // WCAG 2.2 SC 1.4.11 / 2.4.13: the focus indicator against what it sits on, at least 3:1
  for (const [name, selector] of [['light', ':root'], ['dark', ':root[data-theme="dark"]']] as const) {
    it(`${name}: the focus ring has at least 3:1 against the page, the cards, the fields and the header; text at least 4.5:1`, () => {
      const v = { ...vars(':root'), ...vars(selector) };
      for (const surface of ['bg', 'card', 'field', 'header']) expect(contrast(v.focus, v[surface]), `focus on ${surface}`).toBeGreaterThanOrEqual(3);
      for (const surface of ['bg', 'card']) {
        expect(contrast(v.ink, v[surface]), `ink on ${surface}`).toBeGreaterThanOrEqual(4.5);
        expect(contrast(v.muted, v[surface]), `muted on ${surface}`).toBeGreaterThanOrEqual(4.5);
      }
      expect(contrast('#ffffff', v.accent), 'button text').toBeGreaterThanOrEqual(4.5);
    });
  }
});
