/**
 * The TemplateStore and UsageStore contract, run on SQLite and PostgreSQL (side-stores.test.ts):
 * versions, visibility, task links, usage rows counted once and grouped by key and UTC day,
 * budgets. Each test gets a fresh, empty database.
 */
import { expect, it } from 'vitest';
import type { SideSql } from '../../src/store/side-sql.js';
import { TemplateStore } from '../../src/templates/template-store.js';
import type { Template } from '../../src/templates/template.js';
import { UsageStore } from '../../src/usage/usage-store.js';

export function template(id: string, o: Partial<Template> = {}): Template {
  return { id, version: 1, owner: 'k1', shared: false, name: `t ${id}`, script: '这款{{产品}}售价{{price}}元', avatar_id: null, voice_id: null, language: 'zh', captions: 'burn', options: { aspect: '9:16' }, createdAt: 1000, ...o };
}

const DAY = 86_400_000;

export function sideStoresConformance(open: () => Promise<SideSql>): void {
  it('stores versions, reads the newest or a given one, and lists the newest of each visible template', async () => {
    const sql = await open();
    const s = new TemplateStore(sql);
    expect(await s.insert(template('tp_a'))).toBe(true);
    expect(await s.insert(template('tp_a', { version: 2, script: 'v2 {{x}}', createdAt: 3000 }))).toBe(true);
    expect(await s.insert(template('tp_a', { version: 2, script: 'lost' }))).toBe(false); // a concurrent update
    await s.insert(template('tp_b', { owner: 'k2', createdAt: 2000 }));
    await s.insert(template('tp_c', { owner: 'k2', shared: true, createdAt: 2500 }));
    expect(await s.get('tp_a')).toMatchObject({ version: 2, script: 'v2 {{x}}', options: { aspect: '9:16' }, captions: 'burn', language: 'zh', createdAt: 3000 });
    expect((await s.get('tp_a', 1))?.script).toBe('这款{{产品}}售价{{price}}元');
    expect(await s.get('tp_a', 7)).toBeUndefined();
    expect((await s.versions('tp_a')).map((t) => t.version)).toEqual([2, 1]);
    const all = await s.list({ limit: 10, offset: 0 });
    expect([all.total, all.items.map((t) => `${t.id}@${t.version}`)]).toEqual([3, ['tp_a@2', 'tp_c@1', 'tp_b@1']]);
    const k1 = await s.list({ visibleTo: 'k1', limit: 10, offset: 0 });
    expect([k1.total, k1.items.map((t) => t.id)]).toEqual([2, ['tp_a', 'tp_c']]);
    expect((await s.list({ limit: 1, offset: 1 })).items.map((t) => t.id)).toEqual(['tp_c']);
    expect(await s.delete('tp_a')).toBe(true);
    expect(await s.get('tp_a')).toBeUndefined();
    expect(await s.delete('tp_a')).toBe(false);
    await sql.close();
  });

  it('links a task to the template version it used', async () => {
    const sql = await open();
    const s = new TemplateStore(sql);
    await s.attachTask('task1', { templateId: 'tp_a', version: 3 }, 1000);
    expect(await s.taskTemplate('task1')).toEqual({ templateId: 'tp_a', version: 3 });
    expect(await s.taskTemplate('task2')).toBeUndefined();
    await sql.close();
  });

  it('counts a usage row once, and sums by key and by UTC day in [from, to)', async () => {
    const sql = await open();
    const u = new UsageStore(sql);
    const row = { taskId: 't1', part: 'a1', owner: 'k1', at: DAY + 5, videoSec: 4.5, ttsSec: 1.25, renderSec: 6 };
    expect(await u.record(row)).toBe(true);
    expect(await u.record(row)).toBe(false);
    await u.record({ ...row, part: 'b1-2', videoSec: 0, renderSec: 3 });
    await u.record({ ...row, taskId: 't2', at: 2 * DAY + 7 });
    await u.record({ ...row, taskId: 't3', owner: null, at: 2 * DAY });
    await u.record({ ...row, taskId: 't4', owner: 'k2', at: 5 * DAY }); // outside [0, 3 days)
    expect(await u.totals('k1', 0, 3 * DAY)).toEqual({ videoSec: 9, ttsSec: 3.75, renderSec: 15, gpuSec: 18.75, videos: 2 });
    expect(await u.totals(null, 0, 3 * DAY)).toMatchObject({ videoSec: 4.5, videos: 1 });
    expect((await u.report(0, 3 * DAY, 'key')).map((g) => [g.group, g.videoSec, g.gpuSec])).toEqual(expect.arrayContaining([['k1', 9, 18.75], [null, 4.5, 7.25]]));
    expect((await u.report(0, 3 * DAY, 'day', 'k1')).map((g) => [g.group, g.videoSec, g.gpuSec])).toEqual([[DAY, 4.5, 11.5], [2 * DAY, 4.5, 7.25]]);
    expect((await u.ofTask('t1')).map((r) => r.part)).toEqual(['a1', 'b1-2']);
    await sql.close();
  });

  it('sets, replaces and removes a key\u2019s budget', async () => {
    const sql = await open();
    const u = new UsageStore(sql);
    expect(await u.budget('k1')).toBeUndefined();
    await u.setBudget('k1', { maxVideoSecondsPerMonth: 600, maxGpuSecondsPerMonth: null }, 1);
    await u.setBudget('k1', { maxVideoSecondsPerMonth: 900.5, maxGpuSecondsPerMonth: 3600 }, 2);
    expect(await u.budget('k1')).toEqual({ maxVideoSecondsPerMonth: 900.5, maxGpuSecondsPerMonth: 3600 });
    await u.setBudget('k1', null, 3);
    expect(await u.budget('k1')).toBeUndefined();
    await sql.close();
  });
}
