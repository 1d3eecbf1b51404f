/**
 * `keys create --name x --scopes submit,read` | `keys list` | `keys revoke <id>`: API keys in
 * the gateway's database (gateway.db in dataDir, or the shared PostgreSQL database with
 * `store.driver: postgres` — the same config as `serve`). Works while the server runs:
 * the server reads keys from the database on every request, so a revoke takes effect at once.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load.js';
import { openApiKeys, parseScopes } from '../security/api-keys.js';

const USAGE = `Usage:
  heygem-gateway keys create --name <name> --scopes submit,read[,admin] [--config file] [--json]
  heygem-gateway keys list [--config file] [--json]
  heygem-gateway keys revoke <id> [--config file]
`;

const iso = (t: number | null) => (t === null ? '-' : new Date(t).toISOString());

export async function keys(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { config: { type: 'string', short: 'c' }, name: { type: 'string' }, scopes: { type: 'string' }, json: { type: 'boolean' } },
  });
  const [action, id] = positionals;
  if (!action || !['create', 'list', 'revoke'].includes(action)) throw new Error(`unknown keys action "${action ?? ''}"\n${USAGE}`);
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
    } else {
      if (!id) throw new Error(`keys revoke needs a key id\n${USAGE}`);
      if (!(await keys.revoke(id))) throw new Error(`no active key with id "${id}"`);
      out.write(`Revoked key ${id}.\n`);
    }
  } finally {
    await keys.close();
  }
}
