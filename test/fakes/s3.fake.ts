/**
 * A local S3-compatible server (path-style: /<bucket>/<key>) that checks every request's AWS
 * Signature Version 4 itself — canonical request, string to sign and signing key computed
 * here from the known test credentials, as AWS documents them — and speaks S3's XML answers
 * for PutObject, multipart uploads (create / upload part / complete / abort) and GetObject
 * (also through presigned URLs). Payload hashes (`x-amz-content-sha256`) and CRC32
 * checksums are verified against the bytes received.
 * Faults for tests: `failNext(n, status, code)` and `down`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, listenLoopback } from './loopback-server.js';
import { crc32 } from 'node:zlib';

export interface FakeS3Object {
  data: Buffer;
  contentType: string;
  etag: string;
}

interface MultipartUpload {
  key: string;
  contentType: string;
  parts: Map<number, { data: Buffer; etag: string }>;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const hmac = (k: Buffer | string, s: string) => createHmac('sha256', k).update(s).digest();
/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
const MAX_SKEW_MS = 15 * 60_000;
const MIN_PART = 5 * 1024 * 1024;

class S3Fault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function parseQuery(raw: string): Array<[string, string]> {
  if (!raw) return [];
  return raw.split('&').filter(Boolean).map((pair) => {
    const i = pair.indexOf('=');
    const k = i < 0 ? pair : pair.slice(0, i);
    const v = i < 0 ? '' : pair.slice(i + 1);
    return [decodeURIComponent(k), decodeURIComponent(v)];
  });
}

/** AWS SigV4 "amz date" (YYYYMMDDTHHMMSSZ) → ms. */
function amzDate(s: string | undefined): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s ?? '');
  if (!m) throw new S3Fault(403, 'AccessDenied', 'X-Amz-Date is missing or malformed');
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

export class FakeS3 {
  readonly objects = new Map<string, FakeS3Object>();
  readonly uploads = new Map<string, MultipartUpload>();
  /** Operation names in order (PutObject, CreateMultipartUpload, UploadPart, …, and Rejected:<code>). */
  readonly log: string[] = [];
  down = false;
  url = '';
  private server!: Server;
  private faults: Array<{ status: number; code: string }> = [];
  private nextUpload = 1;

  constructor(
    readonly bucket = 'videos',
    readonly accessKeyId = 'AKIDFAKES3TEST0001',
    readonly secretAccessKey = 'fake-s3-secret-key/abcdefghijklmnopqrstuv',
    readonly region = 'us-east-1',
  ) {}

  async start(): Promise<this> {
    ({ server: this.server, url: this.url } = await listenLoopback((req, res) => void this.handle(req, res)));
    return this;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  /** The next `n` (authenticated) requests fail with this S3 error. */
  failNext(n: number, status = 503, code = 'SlowDown'): void {
    for (let i = 0; i < n; i++) this.faults.push({ status, code });
  }

  private sendError(res: ServerResponse, f: S3Fault, resource: string): void {
    this.log.push(`Rejected:${f.code}`);
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${f.code}</Code><Message>${xmlEscape(f.message)}</Message><Resource>${xmlEscape(resource)}</Resource><RequestId>FAKE${Date.now()}</RequestId></Error>`;
    res.writeHead(f.status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body), 'x-amz-request-id': 'FAKE' });
    res.end(body);
  }

  private xml(res: ServerResponse, body: string, headers: Record<string, string> = {}): void {
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
    res.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  private async readBody(req: IncomingMessage): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const c of req) parts.push(c as Buffer);
    return Buffer.concat(parts);
  }

  /**
   * Verify SigV4 (header or presigned query). Returns the payload hash the signature covers.
   * Every mismatch is the error S3 itself answers.
   */
  verifySignature(req: IncomingMessage, path: string, query: Array<[string, string]>, now = Date.now()): string {
    const q = new Map(query);
    const presigned = q.has('X-Amz-Signature');
    let credential: string, signedHeaders: string, signature: string, date: string, payloadHash: string;
    if (presigned) {
      if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') throw new S3Fault(400, 'AuthorizationQueryParametersError', 'X-Amz-Algorithm must be AWS4-HMAC-SHA256');
      credential = q.get('X-Amz-Credential') ?? '';
      signedHeaders = q.get('X-Amz-SignedHeaders') ?? '';
      signature = q.get('X-Amz-Signature') ?? '';
      date = q.get('X-Amz-Date') ?? '';
      payloadHash = q.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
      const expires = Number(q.get('X-Amz-Expires'));
      if (!Number.isInteger(expires) || expires < 1 || expires > 604800) throw new S3Fault(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be 1..604800');
      if (now > amzDate(date) + expires * 1000) throw new S3Fault(403, 'AccessDenied', 'Request has expired');
    } else {
      const auth = req.headers.authorization ?? '';
      const m = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(auth);
      if (!m) throw new S3Fault(auth ? 400 : 403, auth ? 'AuthorizationHeaderMalformed' : 'AccessDenied', auth ? 'The authorization header is malformed' : 'Anonymous access is forbidden');
      [, credential, signedHeaders, signature] = m;
      date = String(req.headers['x-amz-date'] ?? '');
      payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
      if (!payloadHash) throw new S3Fault(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
      if (Math.abs(now - amzDate(date)) > MAX_SKEW_MS) throw new S3Fault(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
    }
    const [akid, scopeDate, region, service, term] = credential.split('/');
    if (akid !== this.accessKeyId) throw new S3Fault(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    if (scopeDate !== date.slice(0, 8) || service !== 's3' || term !== 'aws4_request') throw new S3Fault(400, 'AuthorizationHeaderMalformed', 'Credential scope is malformed');
    if (region !== this.region) throw new S3Fault(400, 'AuthorizationHeaderMalformed', `the region '${region}' is wrong; expecting '${this.region}'`);
    const names = signedHeaders.split(';');
    if (!names.includes('host') || (!presigned && (!names.includes('x-amz-date') || !names.includes('x-amz-content-sha256')))) {
      throw new S3Fault(403, 'AccessDenied', 'SignedHeaders must include host, x-amz-date and x-amz-content-sha256');
    }
    if ([...names].sort().join(';') !== signedHeaders) throw new S3Fault(403, 'SignatureDoesNotMatch', 'SignedHeaders are not sorted');
    const canonicalHeaders = names
      .map((n) => {
        const v = req.headers[n];
        if (v === undefined) throw new S3Fault(403, 'SignatureDoesNotMatch', `signed header ${n} is missing`);
        return `${n}:${(Array.isArray(v) ? v.join(',') : v).trim().replace(/\s+/g, ' ')}\n`;
      })
      .join('');
    const canonicalQuery = query
      .filter(([k]) => k !== 'X-Amz-Signature')
      .map(([k, v]) => [enc(k), enc(v)])
      .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const canonicalUri = path.split('/').map((seg) => enc(decodeURIComponent(seg))).join('/');
    const canonicalRequest = [req.method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
    const scope = `${scopeDate}/${region}/s3/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonicalRequest)].join('\n');
    const key = hmac(hmac(hmac(hmac(`AWS4${this.secretAccessKey}`, scopeDate), region), 's3'), 'aws4_request');
    const expected = createHmac('sha256', key).update(stringToSign).digest();
    const given = Buffer.from(signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new S3Fault(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    return payloadHash;
  }

  /** The body must be what the signature and the checksum header say it is. */
  private checkPayload(req: IncomingMessage, body: Buffer, payloadHash: string): void {
    if (req.headers['content-length'] !== undefined && Number(req.headers['content-length']) !== body.length) throw new S3Fault(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header');
    if (/^[0-9a-f]{64}$/.test(payloadHash)) {
      if (sha256(body) !== payloadHash) throw new S3Fault(400, 'XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed.');
    } else if (payloadHash !== 'UNSIGNED-PAYLOAD') {
      throw new S3Fault(501, 'NotImplemented', `payload mode ${payloadHash} is not supported by this fake`);
    }
    const crc = req.headers['x-amz-checksum-crc32'];
    if (typeof crc === 'string') {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(crc32(body) >>> 0);
      if (b.toString('base64') !== crc) throw new S3Fault(400, 'BadDigest', 'The CRC32 you specified did not match the calculated checksum.');
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? '/';
    const qi = raw.indexOf('?');
    const path = qi < 0 ? raw : raw.slice(0, qi);
    const query = parseQuery(qi < 0 ? '' : raw.slice(qi + 1));
    try {
      if (this.down) throw new S3Fault(503, 'ServiceUnavailable', 'Please reduce your request rate.');
      const payloadHash = this.verifySignature(req, path, query);
      const body = await this.readBody(req);
      this.checkPayload(req, body, payloadHash);
      const fault = this.faults.shift();
      if (fault) throw new S3Fault(fault.status, fault.code, 'Injected fault');
      const [, bucket, ...rest] = path.split('/').map(decodeURIComponent);
      if (bucket !== this.bucket) throw new S3Fault(404, 'NoSuchBucket', 'The specified bucket does not exist');
      const key = rest.join('/');
      if (!key) throw new S3Fault(400, 'InvalidRequest', 'bucket operations are not supported by this fake');
      this.operate(req, res, new Map(query), key, body);
    } catch (err) {
      req.resume();
      this.sendError(res, err instanceof S3Fault ? err : new S3Fault(500, 'InternalError', (err as Error).message), path);
    }
  }

  private operate(req: IncomingMessage, res: ServerResponse, q: Map<string, string>, key: string, body: Buffer): void {
    const etagOf = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;
    const contentType = String(req.headers['content-type'] ?? 'binary/octet-stream');
    if (req.method === 'PUT' && q.has('uploadId')) {
      const up = this.uploads.get(q.get('uploadId')!);
      if (!up || up.key !== key) throw new S3Fault(404, 'NoSuchUpload', 'The specified upload does not exist.');
      const n = Number(q.get('partNumber'));
      if (!Number.isInteger(n) || n < 1 || n > 10000) throw new S3Fault(400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000');
      const etag = etagOf(body);
      up.parts.set(n, { data: body, etag });
      this.log.push(`UploadPart:${n}`);
      res.writeHead(200, { ETag: etag, 'Content-Length': 0 }).end();
      return;
    }
    if (req.method === 'PUT') {
      const etag = etagOf(body);
      this.objects.set(key, { data: body, contentType, etag });
      this.log.push('PutObject');
      res.writeHead(200, { ETag: etag, 'Content-Length': 0 }).end();
      return;
    }
    if (req.method === 'POST' && q.has('uploads')) {
      const id = `upload-${this.nextUpload++}`;
      this.uploads.set(id, { key, contentType, parts: new Map() });
      this.log.push('CreateMultipartUpload');
      this.xml(res, `<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${this.bucket}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
      return;
    }
    if (req.method === 'POST' && q.has('uploadId')) {
      const id = q.get('uploadId')!;
      const up = this.uploads.get(id);
      if (!up || up.key !== key) throw new S3Fault(404, 'NoSuchUpload', 'The specified upload does not exist.');
      const listed = [...body.toString('utf8').matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
        n: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1])?.[1]),
        etag: (/<ETag>([\s\S]*?)<\/ETag>/.exec(m[1])?.[1] ?? '').replace(/&quot;/g, '"'),
      }));
      if (!listed.length) throw new S3Fault(400, 'MalformedXML', 'The XML you provided was not well-formed');
      const chunks: Buffer[] = [];
      listed.forEach((p, i) => {
        const part = up.parts.get(p.n);
        if (!part || part.etag !== p.etag) throw new S3Fault(400, 'InvalidPart', `Part ${p.n} was not uploaded or its ETag does not match`);
        if (i > 0 && p.n <= listed[i - 1].n) throw new S3Fault(400, 'InvalidPartOrder', 'The list of parts was not in ascending order.');
        if (i < listed.length - 1 && part.data.length < MIN_PART) throw new S3Fault(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.');
        chunks.push(part.data);
      });
      const md5s = Buffer.concat(listed.map((p) => Buffer.from(up.parts.get(p.n)!.etag.replace(/"/g, ''), 'hex')));
      const etag = `"${createHash('md5').update(md5s).digest('hex')}-${listed.length}"`;
      this.objects.set(key, { data: Buffer.concat(chunks), contentType: up.contentType, etag });
      this.uploads.delete(id);
      this.log.push('CompleteMultipartUpload');
      this.xml(res, `<CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Location>${this.url}/${this.bucket}/${xmlEscape(key)}</Location><Bucket>${this.bucket}</Bucket><Key>${xmlEscape(key)}</Key><ETag>${xmlEscape(etag)}</ETag></CompleteMultipartUploadResult>`);
      return;
    }
    if (req.method === 'DELETE' && q.has('uploadId')) {
      this.uploads.delete(q.get('uploadId')!);
      this.log.push('AbortMultipartUpload');
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const o = this.objects.get(key);
      if (!o) throw new S3Fault(404, 'NoSuchKey', 'The specified key does not exist.');
      this.log.push(req.method === 'GET' ? 'GetObject' : 'HeadObject');
      res.writeHead(200, { 'Content-Type': o.contentType, 'Content-Length': o.data.length, ETag: o.etag });
      res.end(req.method === 'GET' ? o.data : undefined);
      return;
    }
    throw new S3Fault(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }
}
