/**
 * Title / description / object-key templates. Pure. Placeholders: {task_id}, {date}
 * (YYYY-MM-DD, UTC), {datetime} (ISO, seconds), {text} (first 50 characters of the input text,
 * "..." when cut — the replaced system's queue preview). Unknown placeholders stay as written,
 * so a typo shows up in the published title instead of silently vanishing.
 */
export interface TemplateVars {
  taskId: string;
  /** When the task finished (ms since epoch). */
  at: number;
  text: string;
}

export const TEXT_PREVIEW_CHARS = 50;

export function textPreview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > TEXT_PREVIEW_CHARS ? `${flat.slice(0, TEXT_PREVIEW_CHARS)}...` : flat;
}

export function renderTemplate(template: string, v: TemplateVars): string {
  const iso = new Date(v.at).toISOString();
  const values: Record<string, string> = {
    task_id: v.taskId,
    date: iso.slice(0, 10),
    datetime: `${iso.slice(0, 19)}Z`,
    text: textPreview(v.text),
  };
  return template.replace(/\{([a-z_]+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/**
 * An object key from a template: the same placeholders, but {text} is not offered (user text
 * in keys invites path tricks), and the result is limited to safe key characters.
 */
export function renderKey(prefix: string, template: string, v: Omit<TemplateVars, 'text'>): string {
  const key = renderTemplate(template.replace(/\{text\}/g, ''), { ...v, text: '' }).replace(/[^\w./=-]+/g, '_');
  return `${prefix}${key.replace(/^\/+/, '').replace(/\.\.+/g, '.')}`;
}
