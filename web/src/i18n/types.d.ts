/** Typed keys: `t('nav.create')` is checked against the English catalog by the type checker. */
import 'i18next';
import type { en } from './en';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}
