/**
 * Usage rows and budgets (docs/templates.md, "Usage"). One class over SideSql: SQLite and
 * PostgreSQL run the same statements (test/conformance/usage-store.conformance.ts). A row is
 * keyed by task and part, so a final state seen twice (two nodes, a replayed event) counts once.
 */
import type { SideSql } from '../store/side-sql.js';
import type { Budget, UsageRow, UsageTotals } from './usage.js';

export type GroupBy = 'key' | 'day';

export interface UsageGroup extends UsageTotals {
  /** API key id (null: no key, auth off), or the UTC day start (ms). */
  group: string | number | null;
}

interface TotalsRow {
  g?: string | number | null;
  video: number | string | null;
  tts: number | string | null;
  render: number | string | null;
  videos: number | string;
}

const SUMS = 'SUM(video_sec) AS video, SUM(tts_sec) AS tts, SUM(render_sec) AS render, SUM(CASE WHEN video_sec > 0 THEN 1 ELSE 0 END) AS videos';
const DAY_MS = 86_400_000;

const totalsOf = (r: TotalsRow | undefined): UsageTotals => {
  const tts = Number(r?.tts ?? 0);
  const render = Number(r?.render ?? 0);
  return { videoSec: Number(r?.video ?? 0), ttsSec: tts, renderSec: render, gpuSec: tts + render, videos: Number(r?.videos ?? 0) };
};

export class UsageStore {
  constructor(private readonly sql: SideSql) {}

  /** false when the row was recorded already. */
  async record(u: UsageRow): Promise<boolean> {
    const n = await this.sql.run(
      'INSERT INTO usage_records (task_id, part, owner, at, video_sec, tts_sec, render_sec) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (task_id, part) DO NOTHING',
      [u.taskId, u.part, u.owner, u.at, u.videoSec, u.ttsSec, u.renderSec],
    );
    return n === 1;
  }

  /** One key's totals in [from, to) (`owner` null: work done without a key). */
  async totals(owner: string | null, from: number, to: number): Promise<UsageTotals> {
    const rows = owner === null
      ? await this.sql.all<TotalsRow>(`SELECT ${SUMS} FROM usage_records WHERE owner IS NULL AND at >= ? AND at < ?`, [from, to])
      : await this.sql.all<TotalsRow>(`SELECT ${SUMS} FROM usage_records WHERE owner = ? AND at >= ? AND at < ?`, [owner, from, to]);
    return totalsOf(rows[0]);
  }

  /** Totals in [from, to) by key or by UTC day; `owner` limits them to one key. */
  async report(from: number, to: number, groupBy: GroupBy, owner?: string): Promise<UsageGroup[]> {
    const g = groupBy === 'key' ? 'owner' : `(at - (at % ${DAY_MS}))`;
    const where = owner === undefined ? 'at >= ? AND at < ?' : 'at >= ? AND at < ? AND owner = ?';
    const rows = await this.sql.all<TotalsRow>(`SELECT ${g} AS g, ${SUMS} FROM usage_records WHERE ${where} GROUP BY ${g} ORDER BY ${g}`, owner === undefined ? [from, to] : [from, to, owner]);
    return rows.map((r) => ({ group: groupBy === 'day' ? Number(r.g) : ((r.g ?? null) as string | null), ...totalsOf(r) }));
  }

  /** Every row of one task (tests, support). */
  async ofTask(taskId: string): Promise<UsageRow[]> {
    const rows = await this.sql.all<{ task_id: string; part: string; owner: string | null; at: number | string; video_sec: number | string; tts_sec: number | string; render_sec: number | string }>(
      'SELECT * FROM usage_records WHERE task_id = ? ORDER BY part',
      [taskId],
    );
    return rows.map((r) => ({ taskId: r.task_id, part: r.part, owner: r.owner, at: Number(r.at), videoSec: Number(r.video_sec), ttsSec: Number(r.tts_sec), renderSec: Number(r.render_sec) }));
  }

  async budget(keyId: string): Promise<Budget | undefined> {
    const r = (await this.sql.all<{ max_video_sec: number | string | null; max_gpu_sec: number | string | null }>('SELECT max_video_sec, max_gpu_sec FROM usage_budgets WHERE key_id = ?', [keyId]))[0];
    const num = (v: number | string | null) => (v === null ? null : Number(v));
    return r ? { maxVideoSecondsPerMonth: num(r.max_video_sec), maxGpuSecondsPerMonth: num(r.max_gpu_sec) } : undefined;
  }

  /** Set (or with null, remove) a key's budget. */
  async setBudget(keyId: string, b: Budget | null, now: number): Promise<void> {
    if (!b) {
      await this.sql.run('DELETE FROM usage_budgets WHERE key_id = ?', [keyId]);
      return;
    }
    await this.sql.run(
      'INSERT INTO usage_budgets (key_id, max_video_sec, max_gpu_sec, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (key_id) DO UPDATE SET max_video_sec = excluded.max_video_sec, max_gpu_sec = excluded.max_gpu_sec, updated_at = excluded.updated_at',
      [keyId, b.maxVideoSecondsPerMonth, b.maxGpuSecondsPerMonth, now],
    );
  }

}
