/**
 * The UI's i18n instance in the browser (main.tsx hands it to React with I18nextProvider):
 * starts in the remembered or browser language, keeps `<html lang>` in step, and remembers an
 * explicit choice — only that: a visitor who never picks one follows their browser's language.
 */
import type { Language } from './catalog';
import { LANGUAGE_STORE_KEY, pickLanguage } from './detect';
import { createI18n } from './setup';

function saved(): string | null {
  try {
    return localStorage.getItem(LANGUAGE_STORE_KEY);
  } catch {
    return null; // storage blocked: the browser's language each time
  }
}

export const i18n = createI18n(pickLanguage(saved(), navigator.languages?.length ? navigator.languages : [navigator.language]));

const syncHtmlLang = (lng: string) => document.documentElement.setAttribute('lang', lng);
syncHtmlLang(i18n.language);
i18n.on('languageChanged', syncHtmlLang);

/** The header's switch: change now, remember for next time. */
export function chooseLanguage(lng: Language): void {
  try {
    localStorage.setItem(LANGUAGE_STORE_KEY, lng);
  } catch {
    // not remembered, still switched
  }
  void i18n.changeLanguage(lng);
}
