/**
 * `heygem-gateway slots clear <id>` against a stand-in gateway on loopback: what it says for a
 * cleared slot, a slot that was not degraded, a key without the admin scope, and bad arguments.
 * (Against a real gateway: test/output-checks.integration.test.ts.)
 */
import { createServer } from 'node:http';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slots } from '../src/cli/slots.command.js';

const answers: Record<string, [number, unknown]> = {
  '/api/slots/0/clear': [200, { slot: 0, cleared: true }],
  '/api/slots/1/clear': [200, { slot: 1, cleared: false }],
  '/api/slots/2/clear': [403, { error: 'This API key lacks the admin scope', code: 'forbidden' }],
};
const server = createServer((req, res) => {
  const [status, body] = (req.method === 'POST' && answers[req.url ?? '']) || [404, { error: 'no', code: 'slot_not_found' }];
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function run(id: string, action = 'clear'): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (b: Buffer) => (text += b.toString()));
  await slots({ url, action, id }, out);
  return text;
}

describe('slots command', () => {
  it('says whether the slot was cleared', async () => {
    expect(await run('0')).toBe('Slot 0 cleared: it takes work again.\n');
    expect(await run('1')).toBe('Slot 1 was not degraded; nothing to clear.\n');
  });

  it('names the admin scope on 403, the gateway\u2019s answer otherwise, and refuses bad arguments', async () => {
    await expect(run('2')).rejects.toThrow(/HTTP 403 forbidden.*slots clear needs an API key with the admin scope/);
    await expect(run('7')).rejects.toThrow(/HTTP 404 slot_not_found/);
    await expect(run('x')).rejects.toThrow(/needs a slot id/);
    await expect(run('0', 'reset')).rejects.toThrow(/unknown slots action/);
  });
});
