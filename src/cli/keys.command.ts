/**
 * `keys create --name x --scopes submit,read` | `keys list` | `keys revoke <id>`: API keys in
 * the gateway's database (gateway.db in dataDir, or the shared PostgreSQL database with
 * `store.driver: postgres` — the same config as `serve`). Works while the server runs:
 * the server reads keys from the database on every request, so a revoke takes effect at once.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load.js';
import { join, resolve } from 'node:path';
import type { GatewayConfig } from '../config/load.js';
import { openApiKeys, parseScopes } from '../security/api-keys.js';
import { openSideSql } from '../store/side-sql.js';
import { POSTGRES_TEMPLATES, SQLITE_TEMPLATES, TEMPLATES_MIGRATION_LOCK_KEY } from '../store/migrations/templates.js';
import { UsageStore } from '../usage/usage-store.js';

const USAGE = `Usage:
  heygem-gateway keys create --name <name> --scopes submit,read[,admin] [--config file] [--json]
  heygem-gateway keys list [--config file] [--json]
  heygem-gateway keys revoke <id> [--config file]
  heygem-gateway keys budget <id> [--video-seconds N] [--gpu-seconds N] [--clear] [--config file]
      monthly budget (calendar month, UTC); without limits: show the key's budget
`;

const iso = (t: number | null) => (t === null ? '-' : new Date(t).toISOString());

export async function keys(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      json: { type: 'boolean' },
      'video-seconds': { type: 'string' },
      'gpu-seconds': { type: 'string' },
      clear: { type: 'boolean' },
    },
  });
  const [action, id] = positionals;
  if (!action || !['create', 'list', 'revoke', 'budget'].includes(action)) throw new Error(`unknown keys action "${action ?? ''}"\n${USAGE}`);
  const config = loadConfig({ path: values.config });
  const keys = await openApiKeys(config);
  try {
    if (action === 'create') {
      if (!values.name) throw new Error(`--name is required\n${USAGE}`);
      const { key, token } = await keys.create(values.name, parseScopes(values.scopes ?? 'submit,read'));
      if (values.json) out.write(`${JSON.stringify({ id: key.id, name: key.name, scopes: key.scopes, token })}\n`);
      else out.write(`Created key ${key.id} "${key.name}" (scopes: ${key.scopes.join(',')}).\nToken (shown once, store it now):\n${token}\n`);
    } else if (action === 'list') {
      const all = await keys.list();
      if (values.json) out.write(`${JSON.stringify(all)}\n`);
      else {
        out.write('id            name                 scopes              created                   last used                 revoked\n');
        for (const k of all) out.write(`${k.id}  ${k.name.padEnd(20)} ${k.scopes.join(',').padEnd(19)} ${iso(k.createdAt).padEnd(25)} ${iso(k.lastUsedAt).padEnd(25)} ${iso(k.revokedAt)}\n`);
      }
    } else if (action === 'budget') {
      if (!id) throw new Error(`keys budget needs a key id\n${USAGE}`);
      if (!(await keys.list()).some((k) => k.id === id)) throw new Error(`no key with id "${id}"`);
      await budget(config, id, values, out);
    } else {
      if (!id) throw new Error(`keys revoke needs a key id\n${USAGE}`);
      if (!(await keys.revoke(id))) throw new Error(`no active key with id "${id}"`);
      out.write(`Revoked key ${id}.\n`);
    }
  } finally {
    await keys.close();
  }
}

/** Seconds as given on the command line: a number ≥ 0, or `none` for no limit. */
function secondsOf(v: string | undefined, flag: string): number | null | undefined {
  if (v === undefined) return undefined;
  if (v === 'none') return null;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${flag} must be a number of seconds ≥ 0 (or none)`);
  return n;
}

/** Set, clear or show a key's monthly budget (usage_budgets, next to the keys). */
async function budget(config: GatewayConfig, id: string, values: { 'video-seconds'?: string; 'gpu-seconds'?: string; clear?: boolean; json?: boolean }, out: NodeJS.WritableStream): Promise<void> {
  const pgUrl = config.store.driver === 'postgres' ? config.store.url : undefined;
  const sql = await openSideSql({ sqlitePath: join(resolve(config.dataDir), 'gateway.db'), pgUrl, ddl: { sqlite: SQLITE_TEMPLATES, postgres: POSTGRES_TEMPLATES }, lockKey: TEMPLATES_MIGRATION_LOCK_KEY });
  try {
    const usage = new UsageStore(sql);
    const video = secondsOf(values['video-seconds'], 'video-seconds');
    const gpu = secondsOf(values['gpu-seconds'], 'gpu-seconds');
    if (values.clear) await usage.setBudget(id, null, Date.now());
    else if (video !== undefined || gpu !== undefined) {
      const cur = (await usage.budget(id)) ?? { maxVideoSecondsPerMonth: null, maxGpuSecondsPerMonth: null };
      await usage.setBudget(id, { maxVideoSecondsPerMonth: video === undefined ? cur.maxVideoSecondsPerMonth : video, maxGpuSecondsPerMonth: gpu === undefined ? cur.maxGpuSecondsPerMonth : gpu }, Date.now());
    }
    const b = (await usage.budget(id)) ?? null;
    const fromConfig = config.usage.budgets[id];
    if (values.json) out.write(`${JSON.stringify({ id, budget: b, config: fromConfig ?? null })}\n`);
    else {
      const show = (v: number | null | undefined) => (v === null || v === undefined ? 'none' : `${v} s`);
      if (b) out.write(`Key ${id}: at most ${show(b.maxVideoSecondsPerMonth)} of video and ${show(b.maxGpuSecondsPerMonth)} of GPU time per month (UTC).\n`);
      else if (fromConfig) out.write(`Key ${id}: no budget set here; the config gives ${show(fromConfig.maxVideoSecondsPerMonth)} of video and ${show(fromConfig.maxGpuSecondsPerMonth)} of GPU time per month.\n`);
      else out.write(`Key ${id}: no budget.\n`);
    }
  } finally {
    await sql.close();
  }
}
