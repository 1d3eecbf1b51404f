/**
 * An HTTP server that handles one request at a time, like both HeyGem containers (their
 * servers are single-threaded): later requests wait their turn. Optional start-up delay models
 * the ~15 s model loading before the port answers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => Promise<void>;

export interface SerialServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startSerialServer(handler: Handler, opts: { port?: number; host?: string; startupDelayMs?: number }): Promise<SerialServer> {
  let chain: Promise<void> = Promise.resolve();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      chain = chain.then(() =>
        handler(req, Buffer.concat(chunks), res).catch(() => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/html' });
          res.end('<html><body><h1>500 Internal Server Error</h1></body></html>');
        }),
      );
    });
  });
  const host = opts.host ?? '127.0.0.1';
  if (opts.startupDelayMs) await new Promise((r) => setTimeout(r, opts.startupDelayMs));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Deterministic PRNG (mulberry32) for failure injection that tests can reproduce. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
