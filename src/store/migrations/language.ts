/**
 * Languages (docs/api.md, "Language"): every task records the language its speech text,
 * sentence splitting, captions and preview voice follow (`language`: `zh` or `en`, resolved
 * at intake) and what the request asked for (`language_requested`: `auto`, `zh` or `en`).
 * Rows written before this migration are English tasks submitted without a choice.
 */
export const SQLITE_LANGUAGE = `
ALTER TABLE tasks ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE tasks ADD COLUMN language_requested TEXT NOT NULL DEFAULT 'auto';
`;

export const POSTGRES_LANGUAGE = `
ALTER TABLE tasks ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE tasks ADD COLUMN language_requested TEXT NOT NULL DEFAULT 'auto';
`;
