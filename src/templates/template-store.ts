/**
 * Templates' rows (docs/templates.md): every version of a template, and which template version
 * each task used. One class over SideSql, so SQLite and PostgreSQL run the same statements
 * (test/conformance/template-store.conformance.ts runs on both).
 */
import type { SideSql } from '../store/side-sql.js';
import type { Template, TemplateFields, TemplateRef } from './template.js';

export interface TemplateListFilter {
  /** Only templates this key owns or that are shared; undefined = all (auth off, admin). */
  visibleTo?: string;
  limit: number;
  offset: number;
}

interface Row {
  id: string;
  version: number | string;
  owner: string | null;
  shared: number | string;
  name: string;
  script: string;
  fields: string;
  created_at: number | string;
}

const toTemplate = (r: Row): Template => ({
  id: r.id,
  version: Number(r.version),
  owner: r.owner,
  shared: Number(r.shared) === 1,
  name: r.name,
  script: r.script,
  ...(JSON.parse(r.fields) as TemplateFields),
  // PostgreSQL returns BIGINT as a string
  createdAt: Number(r.created_at),
});

const LATEST = 't.version = (SELECT MAX(v.version) FROM templates v WHERE v.id = t.id)';

export class TemplateStore {
  constructor(private readonly sql: SideSql) {}

  /** Store a version; false when that version of the template exists already (a concurrent update won). */
  async insert(t: Template): Promise<boolean> {
    const fields: TemplateFields = { avatar_id: t.avatar_id, voice_id: t.voice_id, language: t.language, captions: t.captions, options: t.options };
    const n = await this.sql.run(
      'INSERT INTO templates (id, version, owner, shared, name, script, fields, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id, version) DO NOTHING',
      [t.id, t.version, t.owner, t.shared ? 1 : 0, t.name, t.script, JSON.stringify(fields), t.createdAt],
    );
    return n === 1;
  }

  /** The newest version, or a given one. */
  async get(id: string, version?: number): Promise<Template | undefined> {
    const rows = version === undefined
      ? await this.sql.all<Row>(`SELECT * FROM templates t WHERE t.id = ? AND ${LATEST}`, [id])
      : await this.sql.all<Row>('SELECT * FROM templates WHERE id = ? AND version = ?', [id, version]);
    return rows[0] ? toTemplate(rows[0]) : undefined;
  }

  /** Every version, newest first. */
  async versions(id: string): Promise<Template[]> {
    return (await this.sql.all<Row>('SELECT * FROM templates WHERE id = ? ORDER BY version DESC', [id])).map(toTemplate);
  }

  /** Newest version of each template, most recently changed first. */
  async list(f: TemplateListFilter): Promise<{ items: Template[]; total: number }> {
    const where = f.visibleTo === undefined ? LATEST : `${LATEST} AND (t.owner = ? OR t.shared = 1)`;
    const params = f.visibleTo === undefined ? [] : [f.visibleTo];
    const [rows, n] = await Promise.all([
      this.sql.all<Row>(`SELECT * FROM templates t WHERE ${where} ORDER BY t.created_at DESC, t.id DESC LIMIT ? OFFSET ?`, [...params, f.limit, f.offset]),
      this.sql.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM templates t WHERE ${where}`, params),
    ]);
    return { items: rows.map(toTemplate), total: Number(n[0].n) };
  }

  /** Remove every version; tasks keep naming the id and version they used. */
  async delete(id: string): Promise<boolean> {
    return (await this.sql.run('DELETE FROM templates WHERE id = ?', [id])) > 0;
  }

  async attachTask(taskId: string, ref: TemplateRef, now: number): Promise<void> {
    await this.sql.run(
      'INSERT INTO template_task_uses (task_id, template_id, template_version, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (task_id) DO UPDATE SET template_id = excluded.template_id, template_version = excluded.template_version',
      [taskId, ref.templateId, ref.version, now],
    );
  }

  async taskTemplate(taskId: string): Promise<TemplateRef | undefined> {
    const r = (await this.sql.all<{ template_id: string; template_version: number | string }>('SELECT template_id, template_version FROM template_task_uses WHERE task_id = ?', [taskId]))[0];
    return r ? { templateId: r.template_id, version: Number(r.template_version) } : undefined;
  }

}
