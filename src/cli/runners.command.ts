/**
 * `runners create --name gpu-host-1` | `runners list` | `runners revoke <id>`: runner tokens in
 * the gateway's database. A runner token is an API key with the sole `runner` scope: stored
 * hashed, shown once, revocable, and good for nothing but the runner API (docs/runners.md).
 * The name is the runner's identity (its leases are held as `runner:<name>`), so it is unique.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load.js';
import { openApiKeys } from '../security/api-keys.js';

const USAGE = `Usage:
  heygem-gateway runners create --name <name> [--config file] [--json]
  heygem-gateway runners list [--config file] [--json]
  heygem-gateway runners revoke <id> [--config file]
`;

const iso = (t: number | null) => (t === null ? '-' : new Date(t).toISOString());

export async function runners(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { config: { type: 'string', short: 'c' }, name: { type: 'string' }, json: { type: 'boolean' } } });
  const [action, id] = positionals;
  if (!action || !['create', 'list', 'revoke'].includes(action)) throw new Error(`unknown runners action "${action ?? ''}"\n${USAGE}`);
  const config = loadConfig({ path: values.config });
  const keys = await openApiKeys(config);
  try {
    const all = (await keys.list()).filter((k) => k.scopes.includes('runner'));
    if (action === 'create') {
      if (!values.name) throw new Error(`--name is required\n${USAGE}`);
      if (all.some((k) => k.revokedAt === null && k.name === values.name!.trim())) throw new Error(`an active runner named "${values.name}" exists already (revoke it first, or pick another name)`);
      const { key, token } = await keys.create(values.name, ['runner']);
      if (values.json) out.write(`${JSON.stringify({ id: key.id, name: key.name, token })}\n`);
      else out.write(`Created runner token ${key.id} "${key.name}".\nToken (shown once, store it now; give it to the runner as HEYGEM_RUNNER_TOKEN):\n${token}\n`);
    } else if (action === 'list') {
      if (values.json) out.write(`${JSON.stringify(all)}\n`);
      else {
        out.write('id            name                 created                   last used                 revoked\n');
        for (const k of all) out.write(`${k.id}  ${k.name.padEnd(20)} ${iso(k.createdAt).padEnd(25)} ${iso(k.lastUsedAt).padEnd(25)} ${iso(k.revokedAt)}\n`);
      }
    } else {
      if (!id) throw new Error(`runners revoke needs a runner token id\n${USAGE}`);
      if (!all.some((k) => k.id === id) || !(await keys.revoke(id))) throw new Error(`no active runner token with id "${id}"`);
      out.write(`Revoked runner token ${id}; the runner's next call is refused (its leases expire and its tasks run elsewhere).\n`);
    }
  } finally {
    await keys.close();
  }
}
