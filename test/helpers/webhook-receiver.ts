/** A webhook receiver on loopback for tests: records every request, answers as scripted, verifies signatures. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { verifySignature } from '../../src/webhooks/signer.js';

export interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  json: Record<string, unknown>;
  at: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Answer the next requests with these statuses (then 200). 'hold' keeps the request open until release(). */
  script: Array<number | 'hold'>;
  release(): void;
  /** Whether every received request carries a valid signature for one of `secrets`. */
  verified(r: Received, secret: string): boolean;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const held: ServerResponse[] = [];
  const script: Array<number | 'hold'> = [];
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        /* recorded as is */
      }
      received.push({ headers: req.headers, body, json, at: Date.now() });
      const next = script.shift() ?? 200;
      if (next === 'hold') held.push(res);
      else res.writeHead(next, { 'content-type': 'text/plain' }).end(next === 200 ? 'ok' : 'receiver says no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    script,
    release: () => {
      for (const r of held.splice(0)) r.destroy();
    },
    verified: (r, secret) => verifySignature(String(r.headers['x-heygem-signature'] ?? ''), r.body, secret, Math.floor(Date.now() / 1000)),
    close: async () => {
      for (const r of held.splice(0)) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
