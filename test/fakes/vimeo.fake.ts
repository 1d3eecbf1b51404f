/**
 * A local Vimeo API (3.4) with its tus upload server, byte for byte as src/publish/vimeo.uploader.ts
 * expects the real one to behave (docs/publishing.md):
 *   POST /me/videos  — needs `Authorization: bearer <token>`, `Accept:
 *     application/vnd.vimeo.*+json;version=3.4`, a JSON body with upload.approach "tus" and
 *     upload.size; answers the video (`uri`, `link`, `upload.upload_link`, …).
 *   HEAD  /tus/<id>  — `Upload-Offset`, `Upload-Length`, `Tus-Resumable: 1.0.0`.
 *   PATCH /tus/<id>  — needs `Tus-Resumable: 1.0.0` (else 412), `Content-Type:
 *     application/offset+octet-stream` (else 415) and `Upload-Offset` equal to the stored
 *     offset (else 409); appends the body, answers 204 with the new `Upload-Offset`.
 * Faults for tests: `failNext(step, n, status)`, `down` (every request 503), and
 * `cutPatchAfter(bytes)` (keeps part of the next PATCH body, then drops the connection).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, listenLoopback } from './loopback-server.js';

export interface FakeVimeoVideo {
  id: number;
  uri: string;
  link: string;
  name: string;
  description: string;
  privacy: string;
  size: number;
  data: Buffer[];
  offset: number;
  patches: number;
}

type Step = 'create' | 'patch' | 'head';

export class FakeVimeo {
  readonly videos = new Map<string, FakeVimeoVideo>();
  /** Every request: method, path, selected headers (for protocol assertions). */
  readonly requests: Array<{ method: string; path: string; headers: Record<string, string | undefined> }> = [];
  down = false;
  private server!: Server;
  private nextId = 100000;
  private faults: Record<Step, Array<number>> = { create: [], patch: [], head: [] };
  private cut: number | null = null;
  url = '';

  constructor(readonly token = 'vimeo-test-token-0123456789') {}

  async start(): Promise<this> {
    ({ server: this.server, url: this.url } = await listenLoopback((req, res) => void this.handle(req, res)));
    return this;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  /** The next `n` requests of a step answer `status`. */
  failNext(step: Step, n: number, status = 503): void {
    for (let i = 0; i < n; i++) this.faults[step].push(status);
  }

  /** The next PATCH stores only `bytes` of its body, then the connection drops. */
  cutPatchAfter(bytes: number): void {
    this.cut = bytes;
  }

  bytesOf(v: FakeVimeoVideo): Buffer {
    return Buffer.concat(v.data);
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/vnd.vimeo.video+json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private error(res: ServerResponse, status: number, error: string, code: number): void {
    this.json(res, status, { error, link: null, developer_message: error, error_code: code });
  }

  private async body(req: IncomingMessage, limit = 1 << 20): Promise<Buffer> {
    const parts: Buffer[] = [];
    let n = 0;
    for await (const c of req) {
      n += (c as Buffer).length;
      if (n > limit) throw new Error('body too large');
      parts.push(c as Buffer);
    }
    return Buffer.concat(parts);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const h = (n: string) => (Array.isArray(req.headers[n]) ? (req.headers[n] as string[])[0] : (req.headers[n] as string | undefined));
    this.requests.push({ method: req.method ?? '', path, headers: { authorization: h('authorization'), accept: h('accept'), 'content-type': h('content-type'), 'tus-resumable': h('tus-resumable'), 'upload-offset': h('upload-offset'), 'content-length': h('content-length') } });
    try {
      if (this.down) {
        req.resume();
        return this.error(res, 503, 'Service unavailable', 9000);
      }
      if (req.method === 'POST' && path === '/me/videos') return await this.create(req, res, h);
      const m = /^\/tus\/([\w-]+)$/.exec(path);
      if (m && req.method === 'HEAD') return this.head(m[1], res, h);
      if (m && req.method === 'PATCH') return await this.patch(m[1], req, res, h);
      req.resume();
      this.error(res, 404, 'Not found', 5000);
    } catch (err) {
      if (!res.headersSent) this.error(res, 500, (err as Error).message, 9999);
    }
  }

  private async create(req: IncomingMessage, res: ServerResponse, h: (n: string) => string | undefined): Promise<void> {
    const body = await this.body(req);
    const fault = this.faults.create.shift();
    if (fault) return this.error(res, fault, 'Temporarily unavailable', 9000);
    if (h('authorization') !== `bearer ${this.token}` && h('authorization') !== `Bearer ${this.token}`) return this.error(res, 401, 'You must provide a valid authenticated access token.', 8003);
    if (h('accept') !== 'application/vnd.vimeo.*+json;version=3.4') return this.error(res, 406, 'Unsupported Accept header', 2005);
    if (!h('content-type')?.startsWith('application/json')) return this.error(res, 400, 'Expected a JSON body', 2204);
    let j: { upload?: { approach?: unknown; size?: unknown }; name?: unknown; description?: unknown; privacy?: { view?: unknown } };
    try {
      j = JSON.parse(body.toString('utf8'));
    } catch {
      return this.error(res, 400, 'Malformed JSON', 2204);
    }
    const size = Number(j.upload?.size);
    if (j.upload?.approach !== 'tus' || !Number.isSafeInteger(size) || size <= 0) return this.error(res, 400, 'upload.approach must be tus and upload.size a positive integer', 2204);
    const views = ['anybody', 'nobody', 'unlisted', 'disable', 'contacts', 'users', 'password'];
    const privacy = j.privacy?.view === undefined ? 'anybody' : String(j.privacy.view);
    if (!views.includes(privacy)) return this.error(res, 400, `privacy.view "${privacy}" is not valid`, 2204);
    const id = this.nextId++;
    const tusId = `t${id}x${Math.random().toString(36).slice(2, 10)}`;
    const v: FakeVimeoVideo = { id, uri: `/videos/${id}`, link: `https://vimeo.com/${id}`, name: String(j.name ?? 'Untitled'), description: String(j.description ?? ''), privacy, size, data: [], offset: 0, patches: 0 };
    this.videos.set(tusId, v);
    this.json(res, 200, {
      uri: v.uri,
      name: v.name,
      description: v.description,
      link: v.link,
      privacy: { view: privacy },
      upload: { status: 'in_progress', upload_link: `${this.url}/tus/${tusId}`, approach: 'tus', size },
    });
  }

  private head(tusId: string, res: ServerResponse, h: (n: string) => string | undefined): void {
    const v = this.videos.get(tusId);
    if (h('tus-resumable') !== '1.0.0') return void res.writeHead(412, { 'Tus-Version': '1.0.0' }).end();
    const fault = this.faults.head.shift();
    if (fault) return void res.writeHead(fault, { 'Tus-Resumable': '1.0.0' }).end();
    if (!v) return void res.writeHead(404, { 'Tus-Resumable': '1.0.0' }).end();
    res.writeHead(200, { 'Tus-Resumable': '1.0.0', 'Upload-Offset': String(v.offset), 'Upload-Length': String(v.size), 'Cache-Control': 'no-store' }).end();
  }

  private async patch(tusId: string, req: IncomingMessage, res: ServerResponse, h: (n: string) => string | undefined): Promise<void> {
    const v = this.videos.get(tusId);
    const reply = (status: number, extra: Record<string, string> = {}) => {
      req.resume();
      res.writeHead(status, { 'Tus-Resumable': '1.0.0', ...extra }).end();
    };
    if (h('tus-resumable') !== '1.0.0') return reply(412, { 'Tus-Version': '1.0.0' });
    if (!v) return reply(404);
    if (h('content-type') !== 'application/offset+octet-stream') return reply(415);
    if (h('upload-offset') !== String(v.offset)) return reply(409, { 'Upload-Offset': String(v.offset) });
    const fault = this.faults.patch.shift();
    if (fault) return reply(fault);
    const cut = this.cut;
    this.cut = null;
    let got = 0;
    for await (const c of req) {
      let chunk = c as Buffer;
      if (v.offset + chunk.length > v.size) return reply(400);
      if (cut !== null && got + chunk.length > cut) chunk = chunk.subarray(0, cut - got);
      v.data.push(chunk);
      v.offset += chunk.length;
      got += chunk.length;
      if (cut !== null && got >= cut) {
        // Like a dropped connection mid-chunk: the bytes that arrived are kept (tus semantics).
        req.socket.destroy();
        return;
      }
    }
    v.patches++;
    res.writeHead(204, { 'Tus-Resumable': '1.0.0', 'Upload-Offset': String(v.offset) }).end();
  }
}
