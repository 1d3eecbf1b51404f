/**
 * An i18next instance over the bundled catalogs (no network: both are small and the gateway's
 * CSP allows requests to itself only). Pure of the DOM, so unit tests build one per language.
 */
import i18next, { type i18n } from 'i18next';
import { CATALOGS, type Language } from './catalog';

export function createI18n(lng: Language): i18n {
  const inst = i18next.createInstance();
  void inst.init({
    lng,
    fallbackLng: 'en',
    supportedLngs: Object.keys(CATALOGS),
    resources: Object.fromEntries(Object.entries(CATALOGS).map(([code, translation]) => [code, { translation }])),
    interpolation: { escapeValue: false }, // React escapes what it renders
    initAsync: false, // resources are bundled: ready before the first render
    returnNull: false,
  });
  return inst;
}
