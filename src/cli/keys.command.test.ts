import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SqliteApiKeys } from '../security/api-keys.js';
import { keys } from './keys.command.js';

async function run(args: string[]): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (b: Buffer) => (text += b.toString()));
  await keys(args, out);
  return text;
}

describe('keys command', () => {
  it('creates, lists and revokes keys in the configured store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-keys-cli-'));
    const config = join(dir, 'gateway.yaml');
    writeFileSync(config, `dataDir: ${JSON.stringify(join(dir, 'data'))}\n`);
    const created = JSON.parse(await run(['create', '--name', 'ci bot', '--scopes', 'submit,read', '--config', config, '--json'])) as { id: string; token: string };
    expect(created.token).toMatch(/^hgw_/);
    const ks = new SqliteApiKeys(join(dir, 'data', 'gateway.db'));
    expect((await ks.verify(created.token))?.scopes).toEqual(['submit', 'read']);
    const listed = JSON.parse(await run(['list', '--config', config, '--json'])) as Array<{ id: string; revokedAt: number | null }>;
    expect(listed.map((k) => [k.id, k.revokedAt])).toEqual([[created.id, null]]);
    expect(await run(['revoke', created.id, '--config', config])).toContain(`Revoked key ${created.id}`);
    expect(await ks.verify(created.token)).toBeNull();
    await expect(run(['revoke', created.id, '--config', config])).rejects.toThrow(/no active key/);
    await ks.close();
  });

  it('sets, changes and clears a key\u2019s monthly budget, next to the config\u2019s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-keys-budget-'));
    const config = join(dir, 'gateway.yaml');
    const { id } = JSON.parse(await (async () => {
      writeFileSync(config, `dataDir: ${JSON.stringify(join(dir, 'data'))}\n`);
      return run(['create', '--name', 'finance', '--config', config, '--json']);
    })()) as { id: string };
    writeFileSync(config, `dataDir: ${JSON.stringify(join(dir, 'data'))}\nusage: { budgets: { "${id}": { maxVideoSecondsPerMonth: 60 } } }\n`);
    expect(await run(['budget', id, '--config', config])).toContain('the config gives 60 s of video');
    expect(await run(['budget', id, '--video-seconds', '3600', '--config', config])).toContain('at most 3600 s of video and none of GPU time');
    const both = JSON.parse(await run(['budget', id, '--gpu-seconds', '7200.5', '--config', config, '--json'])) as { budget: unknown };
    expect(both.budget).toEqual({ maxVideoSecondsPerMonth: 3600, maxGpuSecondsPerMonth: 7200.5 });
    expect(await run(['budget', id, '--clear', '--config', config])).toContain('no budget set here');
    await expect(run(['budget', 'ffffffffffff', '--config', config])).rejects.toThrow(/no key/);
    await expect(run(['budget', id, '--video-seconds', '-1', '--config', config])).rejects.toThrow(/seconds/);
  });
});
