/**
 * Which language the UI starts in (pure): the one the user chose before (kept in localStorage),
 * else the browser's preferred languages in order — any Chinese (zh, zh-CN, zh-TW, zh-Hans…)
 * → zh-CN, any English → en — else English.
 */
import { LANGUAGES, type Language } from './catalog';

export const LANGUAGE_STORE_KEY = 'heygem.lang';

export function matchLanguage(tag: string): Language | null {
  const t = tag.trim().toLowerCase();
  if (t === 'zh' || t.startsWith('zh-')) return 'zh-CN';
  if (t === 'en' || t.startsWith('en-')) return 'en';
  return null;
}

export function pickLanguage(saved: string | null, browser: readonly string[]): Language {
  if (saved && LANGUAGES.some((l) => l.code === saved)) return saved as Language;
  for (const tag of browser) {
    const l = matchLanguage(tag);
    if (l) return l;
  }
  return 'en';
}
