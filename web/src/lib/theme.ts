/**
 * Light or dark: by default the system's (`prefers-color-scheme`, in CSS), or the user's explicit
 * choice, remembered like the language (localStorage `heygem.theme`) and applied as
 * `<html data-theme>` before the first render, so a dark page never flashes light.
 */
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
export const THEME_STORE_KEY = 'heygem.theme';

/** A stored value as a theme: anything unknown (or nothing) follows the system. */
export function parseTheme(v: string | null | undefined): Theme {
  return (THEMES as readonly string[]).includes(v ?? '') ? (v as Theme) : 'system';
}

export function savedTheme(): Theme {
  try {
    return parseTheme(localStorage.getItem(THEME_STORE_KEY));
  } catch {
    return 'system'; // storage blocked
  }
}

export function applyTheme(theme: Theme): void {
  if (theme === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', theme);
}

export function chooseTheme(theme: Theme): void {
  try {
    if (theme === 'system') localStorage.removeItem(THEME_STORE_KEY);
    else localStorage.setItem(THEME_STORE_KEY, theme);
  } catch {
    // not remembered, still applied
  }
  applyTheme(theme);
}
