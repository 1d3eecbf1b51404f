/**
 * The UI's languages and their catalogs. en.ts is the reference shape; every other catalog is
 * typed `Catalog`, so a missing key fails the type check (catalog.test.ts checks again, with
 * plural forms). Adding a language = a catalog file + one row in LANGUAGES (see web/README.md).
 */
import { en } from './en';
import { zhCN } from './zh-CN';

/** Plural forms other than `_other` are optional in the type: each language has its own set. */
type PluralExtra = `${string}_${'zero' | 'one' | 'two' | 'few' | 'many'}`;
export type Catalog<T = typeof en> = {
  [K in keyof T as K extends PluralExtra ? never : K]: T[K] extends string ? string : Catalog<T[K]>;
} & { [K in keyof T as K extends PluralExtra ? K : never]?: string };

export type Language = 'en' | 'zh-CN';

/** In the order of the switch; `label` is each language's own name for itself. */
export const LANGUAGES: ReadonlyArray<{ code: Language; label: string }> = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '中文' },
];

export const CATALOGS: Record<Language, Catalog> = { en, 'zh-CN': zhCN };
