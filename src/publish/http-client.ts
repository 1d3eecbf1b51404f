/**
 * A minimal HTTP(S) client on node:http for the Vimeo adapter: streams a request body (a file
 * range) with an exact Content-Length, bounds each request by a timeout and an AbortSignal,
 * and returns the answer's status, headers and (small) body. fetch() would send a streamed
 * body chunked, which some tus servers refuse.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { LookupFunction } from 'node:net';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpCall {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: Buffer | Readable;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Largest answer body kept (provider answers are small JSON). @defaultValue 1 MiB */
  maxBody?: number;
  /** Resolve the host with this instead of DNS (webhooks: connect to the address already checked). */
  lookup?: LookupFunction;
}

export function httpCall(c: HttpCall): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const u = new URL(c.url);
    const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(u, { method: c.method, headers: c.headers, signal: c.signal, timeout: c.timeoutMs, lookup: c.lookup });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`${c.method} ${u.host}: no answer within ${c.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      let size = 0;
      res.on('data', (d: Buffer) => {
        size += d.length;
        if (size <= (c.maxBody ?? 1024 * 1024)) parts.push(d);
      });
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    if (!c.body) req.end();
    else if (Buffer.isBuffer(c.body)) req.end(c.body);
    else {
      c.body.on('error', (err) => req.destroy(err));
      c.body.pipe(req);
    }
  });
}
