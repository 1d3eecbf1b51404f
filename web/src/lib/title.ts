/**
 * A task's name in the UI: the title it was given (PATCH /api/tasks/:id), else the first words
 * of its text — about six words, or sixteen characters of Chinese — so lists read like a list of
 * scripts. Pure.
 */
const MAX_WORDS = 6;
const MAX_CHARS = 40;
const MAX_HAN = 16;

export function defaultTitle(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return '';
  // Chinese (and Japanese) text has no spaces: cut by characters
  if (/^[\p{Script=Han}\p{P}\d]/u.test(flat) && !flat.slice(0, MAX_HAN).includes(' ')) {
    const chars = [...flat];
    return chars.length > MAX_HAN ? `${chars.slice(0, MAX_HAN).join('')}…` : flat;
  }
  const words = flat.split(' ');
  let out = words.slice(0, MAX_WORDS).join(' ');
  if ([...out].length > MAX_CHARS) out = [...out].slice(0, MAX_CHARS).join('').trimEnd();
  return out.length < flat.length ? `${out.replace(/[,.;:!?，。；：！？]+$/u, '')}…` : out;
}

export function taskTitle(task: { title?: string | null; text?: string; input_text?: string }): string {
  return task.title || defaultTitle(task.text ?? task.input_text ?? '');
}
