/**
 * Task titles (docs/api.md, "Titles"): a name the user gives a task (PATCH /api/tasks/:id).
 * Null until set: lists then show the first words of the text, and the download name is built
 * from those words.
 */
export const SQLITE_TITLE = `ALTER TABLE tasks ADD COLUMN title TEXT;`;
export const POSTGRES_TITLE = `ALTER TABLE tasks ADD COLUMN title TEXT;`;
