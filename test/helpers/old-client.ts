/**
 * A client that behaves like the replaced Flask app's own scripts and page: form-encoded
 * submits exactly as Python `requests.post(url, data={...})` builds them, a status poll loop,
 * and the fields those clients read, with the types they assume (docs/compatibility.md).
 */
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * `urllib.parse.urlencode(data)` as `requests` calls it: `quote_plus` of the UTF-8 bytes —
 * letters, digits and `_.-~` stay, a space becomes `+`, every other byte `%XX` (upper case).
 */
export function pyUrlencode(data: Record<string, string>): string {
  const quotePlus = (s: string): string => {
    let out = '';
    for (const b of Buffer.from(s, 'utf8')) {
      const c = String.fromCharCode(b);
      if (/[A-Za-z0-9_.\-~]/.test(c)) out += c;
      else if (c === ' ') out += '+';
      else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return out;
  };
  return Object.entries(data)
    .map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`)
    .join('&');
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP exchange with the headers `requests` sends (no fetch defaults in the way). */
export function rawRequest(baseUrl: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const u = new URL(baseUrl);
  const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path,
        method,
        headers: {
          'User-Agent': 'python-requests/2.31.0',
          'Accept-Encoding': 'gzip, deflate',
          Accept: '*/*',
          Connection: 'keep-alive',
          ...(payload ? { 'Content-Length': String(payload.length) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** `requests.post(url, data={"text": text})`. */
export function postForm(baseUrl: string, path: string, data: Record<string, string>, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(baseUrl, 'POST', path, pyUrlencode(data), { 'Content-Type': 'application/x-www-form-urlencoded', ...headers });
}

export async function getJson(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await rawRequest(baseUrl, 'GET', path, undefined, headers);
  return { status: r.status, json: JSON.parse(r.body) as Record<string, unknown> };
}

/** Python's `f"{x:.2f}"`: a TypeError on None, as the old scripts crashed ("Usage: None%"). */
export function pyFixed(x: unknown, digits = 2): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new TypeError(`unsupported format string passed to ${x === null ? 'NoneType' : typeof x}.__format__`);
  return x.toFixed(digits);
}

const FINAL = new Set(['completed', 'failed', 'timeout']);

/**
 * The old scripts' loop: GET /api/status/<id>, print status and progress, stop on a final
 * status, otherwise sleep and ask again. Bounded by `maxPolls` (the old loop had no bound).
 */
export async function pollLikeOldClient(
  baseUrl: string,
  taskId: string,
  opts: { intervalMs: number; maxPolls: number; onPoll?: (s: Record<string, unknown>) => void },
): Promise<Record<string, unknown>> {
  for (let i = 0; i < opts.maxPolls; i++) {
    const { json } = await getJson(baseUrl, `/api/status/${taskId}`);
    opts.onPoll?.(json);
    if (FINAL.has(String(json.status))) return json;
    await sleep(opts.intervalMs);
  }
  throw new Error(`task ${taskId} not final after ${opts.maxPolls} polls`);
}

/** The type an old client assumes for a field: a JS `typeof`, 'null', or 'array'. */
type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';
const kindOf = (v: unknown): Kind | 'undefined' => (v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as Kind | 'undefined'));

/**
 * Check `fields` (dotted paths → allowed kinds) on `obj`; returns one line per missing or
 * mistyped field, so a failure names every problem at once. Numbers must be finite.
 */
export function fieldProblems(obj: unknown, fields: Record<string, Kind[]>, where: string): string[] {
  const problems: string[] = [];
  for (const [path, kinds] of Object.entries(fields)) {
    let v: unknown = obj;
    for (const key of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    const k = kindOf(v);
    if (k === 'undefined') problems.push(`${where}: ${path} is missing`);
    else if (!(kinds as string[]).includes(k)) problems.push(`${where}: ${path} is ${k} (${JSON.stringify(v)?.slice(0, 40)}), expected ${kinds.join('|')}`);
    else if (k === 'number' && !Number.isFinite(v)) problems.push(`${where}: ${path} is not finite`);
  }
  return problems;
}
