/**
 * `slots clear <id>`: bring a degraded slot back into service on a running gateway (POST
 * /api/slots/:id/clear, admin key when auth is on). A slot is degraded when its results failed
 * the output check in a row (docs/checks.md, "Known-bad containers"); clear it once its
 * containers are fixed, or wait for its probe render to pass.
 */
import { call, type ClientOptions } from './client.js';

export async function slots(o: ClientOptions & { action: string; id: string }, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  if (o.action !== 'clear') throw new Error(`unknown slots action "${o.action}" (expected: clear)`);
  if (!/^\d+$/.test(o.id)) throw new Error(`slots clear needs a slot id (a number), got "${o.id}"`);
  const r = await call<{ slot: number; cleared: boolean }>(o, `/api/slots/${o.id}/clear`, { method: 'POST' }).catch((err: Error) => {
    // the client's generic hint names the submit/read scopes; clearing a slot is an admin's act
    if (/ answered HTTP 403/.test(err.message)) throw new Error(`${err.message.split(' — ')[0]} — slots clear needs an API key with the admin scope`);
    throw err;
  });
  out.write(r.cleared ? `Slot ${r.slot} cleared: it takes work again.\n` : `Slot ${r.slot} was not degraded; nothing to clear.\n`);
}
