/**
 * Tiny HTTP client for the CLI commands that talk to a running gateway (generate, tasks).
 * Its errors are for a person at a terminal: they name the URL that was tried and the fix.
 */
export interface ClientOptions {
  url: string;
  apiKey?: string;
}

export const DEFAULT_PORT = 5003;

/**
 * Where the client commands find the gateway: --url, else HEYGEM_GATEWAY_URL, else this host on
 * PORT (the same variable `serve` listens on), else 127.0.0.1:5003. HOST is used when it names one
 * address; a wildcard listen address (0.0.0.0, ::) is reached on loopback.
 */
export function gatewayTarget(flags: { url?: string; key?: string }, env: NodeJS.ProcessEnv = process.env): ClientOptions {
  const key = flags.key ?? (env.HEYGEM_GATEWAY_KEY || undefined);
  if (flags.url) return { url: trimSlash(flags.url), apiKey: key };
  if (env.HEYGEM_GATEWAY_URL) return { url: trimSlash(env.HEYGEM_GATEWAY_URL), apiKey: key };
  const port = env.PORT && /^\d+$/.test(env.PORT) ? Number(env.PORT) : DEFAULT_PORT;
  const host = !env.HOST || ['0.0.0.0', '::', '[::]'].includes(env.HOST) ? '127.0.0.1' : env.HOST.includes(':') && !env.HOST.startsWith('[') ? `[${env.HOST}]` : env.HOST;
  return { url: `http://${host}:${port}`, apiKey: key };
}

const trimSlash = (u: string) => u.replace(/\/+$/, '');

/** A network failure, phrased as what to do about it. */
export function unreachableMessage(url: string, err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (err as Error).message;
  return `cannot reach ${url} (${why}) — is the gateway running? start it with \`npm start\` (or \`heygem-gateway serve\`), or point --url / HEYGEM_GATEWAY_URL at it`;
}

/** An HTTP error answer, with a hint for the answers a user can fix from the command line. */
export function httpErrorMessage(url: string, status: number, body: { error?: string; code?: string }): string {
  const what = `${url} answered HTTP ${status}${body.code ? ` ${body.code}` : ''}: ${body.error ?? 'request failed'}`;
  if (status === 401) return `${what} — pass an API key with --key <token> or HEYGEM_GATEWAY_KEY (create one with \`heygem-gateway keys create\`)`;
  if (status === 403) return `${what} — this API key lacks the scope for it; use a key with the submit/read scope`;
  return what;
}

export async function request(o: ClientOptions, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (o.apiKey) headers.set('authorization', `Bearer ${o.apiKey}`);
  const url = `${trimSlash(o.url)}${path}`;
  try {
    return await fetch(url, { ...init, headers });
  } catch (err) {
    if ((err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError') throw err;
    throw new Error(unreachableMessage(o.url, err));
  }
}

export async function call<T>(o: ClientOptions, path: string, init: RequestInit = {}): Promise<T> {
  const res = await request(o, path, init);
  const text = await res.text();
  let body: T & { error?: string; code?: string };
  try {
    body = JSON.parse(text) as T & { error?: string; code?: string };
  } catch {
    throw new Error(`${trimSlash(o.url)}${path} answered HTTP ${res.status} without JSON — is ${o.url} a heygem-gateway? (--url / HEYGEM_GATEWAY_URL)`);
  }
  if (!res.ok) throw new Error(httpErrorMessage(`${trimSlash(o.url)}${path}`, res.status, body));
  return body;
}
