/**
 * Usage per API key (docs/templates.md, "Usage"): GET /api/usage (by key or by UTC day, JSON or
 * CSV; an admin key sees every key, any other key its own) and GET /api/usage/me (this month
 * and the key's budgets).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Gateway } from '../../gateway.js';
import type { UsageGroup } from '../../usage/usage-store.js';
import { monthOf, round, type UsageTotals } from '../../usage/usage.js';
import { ownerFilter, ownerOf } from '../access.js';
import { ApiError } from '../errors.js';
import { access } from '../security.js';
import { errorDoc } from './templates.schemas.js';

type Json = Record<string, unknown>;
const num = (description: string): Json => ({ type: 'number', description });
const totalsProps: Record<string, Json> = {
  video_seconds: num('Seconds of finished video delivered'),
  gpu_seconds: num('Seconds the GPUs worked: speech plus render, segments and backup renders included'),
  tts_seconds: num('Of which speech (TTS)'),
  render_seconds: num('Of which render'),
  videos: { type: 'integer', description: 'Finished videos delivered' },
};
const groupSchema: Json = { type: 'object', properties: { key_id: { type: ['string', 'null'] }, key_name: { type: ['string', 'null'], description: 'The key\u2019s name (null: no key, or a key since deleted)' }, day: { type: 'string' }, ...totalsProps }, additionalProperties: false };
const usageSchema: Json = {
  type: 'object',
  properties: {
    success: { type: 'boolean' },
    from: { type: 'string' },
    to: { type: 'string' },
    group_by: { type: 'string', enum: ['key', 'day'] },
    items: { type: 'array', items: groupSchema },
    total: { type: 'object', properties: totalsProps },
  },
  required: ['success', 'from', 'to', 'group_by', 'items', 'total'],
};
const leftSchema: Json = { type: ['object', 'null'], properties: { video_seconds: { type: ['number', 'null'] }, gpu_seconds: { type: ['number', 'null'] } } };
const meSchema: Json = {
  type: 'object',
  properties: {
    success: { type: 'boolean' },
    key_id: { type: ['string', 'null'] },
    month: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } } },
    used: { type: 'object', properties: totalsProps },
    budget: { type: ['object', 'null'], properties: { max_video_seconds_per_month: { type: ['number', 'null'] }, max_gpu_seconds_per_month: { type: ['number', 'null'] } } },
    left: leftSchema,
  },
  required: ['success', 'key_id', 'month', 'used', 'budget', 'left'],
};

const totalsJson = (t: UsageTotals): Json => ({ video_seconds: round(t.videoSec), gpu_seconds: round(t.gpuSec), tts_seconds: round(t.ttsSec), render_seconds: round(t.renderSec), videos: t.videos });
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** `2026-12-01` (a UTC day) or a full ISO 8601 time → ms. */
function timeOf(v: string | undefined, fallback: number, name: string): number {
  if (v === undefined || v === '') return fallback;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (!Number.isFinite(t)) throw new ApiError(400, 'input_invalid', `${name} must be a date (2026-12-01) or an ISO 8601 time`);
  return t;
}

const CSV_COLUMNS = ['video_seconds', 'gpu_seconds', 'tts_seconds', 'render_seconds', 'videos'];

/**
 * RFC 4180: a field with a comma, quote or line break is quoted. A text that a spreadsheet would
 * read as a formula (a key name starting with =, +, - or @) gets a leading apostrophe.
 */
const csvField = (v: unknown): string => {
  let s = v === null || v === undefined ? '' : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function toCsv(groupBy: 'key' | 'day', items: Json[]): string {
  const head = [...(groupBy === 'key' ? ['key_id', 'key_name'] : ['day']), ...CSV_COLUMNS];
  return [head, ...items.map((i) => head.map((h) => i[h]))].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Key id → name, for reports a finance team reads (the id alone names nobody). */
async function keyNames(app: FastifyInstance): Promise<Map<string, string>> {
  return new Map((await app.apiKeys.list()).map((k) => [k.id, k.name]));
}

const wantsCsv = (req: FastifyRequest, format?: string): boolean => format === 'csv' || (format === undefined && /\btext\/csv\b/.test(req.headers.accept ?? ''));

export function registerUsageRoutes(app: FastifyInstance, gw: Gateway): void {
  const tags = ['usage'];
  app.get<{ Querystring: { from?: string; to?: string; group_by?: 'key' | 'day'; format?: 'json' | 'csv' } }>('/api/usage', {
    config: access('read'),
    schema: {
      tags,
      summary: 'Video and GPU seconds by key or by UTC day in [from, to) (default: this month); CSV with format=csv or Accept: text/csv',
      querystring: {
        type: 'object',
        properties: {
          from: { type: 'string', maxLength: 40, description: 'A date (UTC) or ISO 8601 time; default: the start of this month' },
          to: { type: 'string', maxLength: 40, description: 'Exclusive; default: the start of next month' },
          group_by: { type: 'string', enum: ['key', 'day'], default: 'key' },
          format: { type: 'string', enum: ['json', 'csv'] },
        },
        additionalProperties: false,
      },
      response: { 200: usageSchema, 400: errorDoc('from / to is not a date') },
    },
  }, async (req, reply) => {
    const month = monthOf(gw.clock.now());
    const from = timeOf(req.query.from, month.start, 'from');
    const to = timeOf(req.query.to, month.end, 'to');
    if (to <= from) throw new ApiError(400, 'input_invalid', 'to must be after from');
    const groupBy = req.query.group_by ?? 'key';
    const groups = await gw.usage.report(from, to, groupBy, ownerFilter(req));
    const names = groupBy === 'key' ? await keyNames(app) : new Map<string, string>();
    const items = groups.map((g: UsageGroup) => ({ ...(groupBy === 'key' ? { key_id: g.group, key_name: names.get(g.group as string) ?? null } : { day: dayOf(g.group as number) }), ...totalsJson(g) }));
    if (wantsCsv(req, req.query.format)) {
      const name = `usage-${groupBy}-${dayOf(from)}-${dayOf(to - 1)}.csv`;
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(toCsv(groupBy, items));
    }
    const sum = groups.reduce<UsageTotals>((a, g) => ({ videoSec: a.videoSec + g.videoSec, gpuSec: a.gpuSec + g.gpuSec, ttsSec: a.ttsSec + g.ttsSec, renderSec: a.renderSec + g.renderSec, videos: a.videos + g.videos }), { videoSec: 0, gpuSec: 0, ttsSec: 0, renderSec: 0, videos: 0 });
    return { success: true, from: new Date(from).toISOString(), to: new Date(to).toISOString(), group_by: groupBy, items, total: totalsJson(sum) };
  });

  app.get('/api/usage/me', {
    config: access('read'),
    schema: { tags, summary: 'This key\u2019s usage this month (UTC), its budgets and what is left', response: { 200: meSchema } },
  }, async (req) => {
    const keyId = ownerOf(req);
    const me = await gw.usage.me(keyId);
    return {
      success: true,
      key_id: keyId,
      month: { from: new Date(me.month.start).toISOString(), to: new Date(me.month.end).toISOString() },
      used: totalsJson(me.used),
      budget: me.budget ? { max_video_seconds_per_month: me.budget.maxVideoSecondsPerMonth, max_gpu_seconds_per_month: me.budget.maxGpuSecondsPerMonth } : null,
      left: me.left ? { video_seconds: me.left.videoSec, gpu_seconds: me.left.gpuSec } : null,
    };
  });
}
