/**
 * Templates (docs/templates.md): owned per API key like avatars (a key sees its own and shared
 * ones, changes only its own; an admin sees and changes all and alone shares), versioned (an
 * update stores a new version, so a task can always name the one it was made from), and filled
 * with variables for a render or a batch row. The request fields a template holds are checked
 * by the HTTP layer with generate's own parsers before they reach this service.
 */
import { charCount } from '../domain/chars.js';
import { DomainError } from '../domain/errors.js';
import { newTaskId } from '../domain/ids.js';
import { parseOutputFields } from '../domain/output-options.js';
import { canChangeItem, canSeeItem, visibleTo, type Viewer } from '../library/viewer.js';
import type { TemplateStore } from './template-store.js';
import { fill, OPTION_NAMES, variablesOf, type Template, type TemplateFields, type TemplateRef } from './template.js';

export interface TemplateInput extends TemplateFields {
  name: string;
  script: string;
  shared?: boolean;
}

export interface TemplatesOptions {
  maxScriptChars: number;
}

const MAX_OPTION_CHARS = 200;
const TEMPLATE_ID = /^tp_[0-9a-z]{26}$/;

const notFound = (id: string) => new DomainError('template_not_found', 'not_found', `No template with id ${id.slice(0, 40)}`);

export class TemplatesService {
  constructor(
    readonly store: TemplateStore,
    private readonly o: TemplatesOptions,
    private readonly now: () => number,
  ) {}

  async create(v: Viewer, input: TemplateInput): Promise<Template> {
    this.check(v, input);
    const now = this.now();
    const t: Template = { ...this.clean(input), id: `tp_${newTaskId(now)}`, version: 1, owner: v.keyId, shared: input.shared ?? false, createdAt: now };
    await this.store.insert(t);
    return t;
  }

  /** A new version from the whole input (PUT replaces every field). */
  async update(v: Viewer, id: string, input: TemplateInput): Promise<Template> {
    const cur = await this.visible(v, id);
    if (!canChangeItem(v, cur)) throw new DomainError('forbidden', 'forbidden', 'This template belongs to another API key');
    this.check(v, input);
    const next: Template = { ...this.clean(input), id, version: cur.version + 1, owner: cur.owner, shared: input.shared ?? cur.shared, createdAt: this.now() };
    if (!(await this.store.insert(next))) throw new DomainError('template_version_conflict', 'conflict', `Template ${id} was changed at the same time; read it again and retry`);
    return next;
  }

  /** The newest version (or `version`) if this viewer may see it. */
  async visible(v: Viewer, id: string, version?: number): Promise<Template> {
    const t = TEMPLATE_ID.test(id) ? await this.store.get(id) : undefined;
    if (!t || !canSeeItem(v, t)) throw notFound(id);
    if (version === undefined || version === t.version) return t;
    const old = await this.store.get(id, version);
    if (!old) throw new DomainError('template_version_not_found', 'not_found', `Template ${id} has no version ${version} (newest: ${t.version})`);
    return old;
  }

  versions(v: Viewer, id: string): Promise<Template[]> {
    return this.visible(v, id).then(() => this.store.versions(id));
  }

  list(v: Viewer, limit: number, offset: number): Promise<{ items: Template[]; total: number }> {
    return this.store.list({ visibleTo: visibleTo(v), limit, offset });
  }

  async delete(v: Viewer, id: string): Promise<void> {
    const cur = await this.visible(v, id);
    if (!canChangeItem(v, cur)) throw new DomainError('forbidden', 'forbidden', 'This template belongs to another API key');
    await this.store.delete(id);
  }

  /** The script filled with `values`; 422 `template_variables` naming what is missing or extra. */
  fill(t: Template, values: Readonly<Record<string, string>>): string {
    const out = fill(t.script, values);
    if (out.ok) return out.text;
    throw new DomainError('template_variables', 'unprocessable', variablesMessage(out.missing, out.extra), { missing: out.missing, extra: out.extra, variables: variablesOf(t.script) });
  }

  attach(taskId: string, ref: TemplateRef): Promise<void> {
    return this.store.attachTask(taskId, ref, this.now());
  }

  usedBy(taskId: string): Promise<TemplateRef | undefined> {
    return this.store.taskTemplate(taskId);
  }

  private check(v: Viewer, input: TemplateInput): void {
    const name = input.name?.trim() ?? '';
    if (!name || charCount(name) > 100) throw invalid('name must be 1–100 characters');
    if (!input.script?.trim()) throw invalid('script is empty');
    if (charCount(input.script) > this.o.maxScriptChars) throw invalid(`script is longer than ${this.o.maxScriptChars} characters (limits.maxTextChars)`);
    if (input.shared && !v.admin) throw new DomainError('forbidden', 'forbidden', 'Only an admin key shares templates');
    for (const [k, val] of Object.entries(input.options)) {
      if (!OPTION_NAMES.test(k)) throw invalid(`options.${k.slice(0, 40)} is not an output or caption option (aspect, resolution, fit, background, format, watermark_*, caption_style)`);
      if (typeof val !== 'string' || charCount(val) > MAX_OPTION_CHARS) throw invalid(`options.${k} must be a string of at most ${MAX_OPTION_CHARS} characters`);
    }
    // The same rules generate applies, so a stored template never fails at render time for its own options.
    const { problems } = parseOutputFields(input.options);
    if (problems.length) throw new DomainError('output_invalid', 'invalid', problems.map((p) => `options.${p.message}`).join('; '), { details: problems });
  }

  private clean(i: TemplateInput): Omit<Template, 'id' | 'version' | 'owner' | 'shared' | 'createdAt'> {
    return { name: i.name.trim(), script: i.script.trim(), avatar_id: i.avatar_id, voice_id: i.voice_id, language: i.language, captions: i.captions, options: { ...i.options } };
  }
}

const invalid = (message: string) => new DomainError('template_invalid', 'invalid', message);

export function variablesMessage(missing: readonly string[], extra: readonly string[]): string {
  const parts = [missing.length ? `missing ${missing.map((n) => `{{${n}}}`).join(', ')}` : '', extra.length ? `not in the script: ${extra.join(', ')}` : ''].filter(Boolean);
  return `Template variables do not match: ${parts.join('; ')}`;
}

