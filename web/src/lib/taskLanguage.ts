/**
 * The language of a task's text (`language` on POST /api/generate and /api/normalize): `auto`
 * lets the gateway detect it, which is also its default — so `auto` is not sent at all, and a
 * gateway that does not know the field yet gets exactly the request it always got.
 */
export const TASK_LANGUAGES = ['auto', 'zh', 'en'] as const;
export type TaskLanguage = (typeof TASK_LANGUAGES)[number];

/** The request fields for a choice: none for `auto`. */
export function taskLanguageField(language: TaskLanguage): { language?: 'zh' | 'en' } {
  return language === 'auto' ? {} : { language };
}
