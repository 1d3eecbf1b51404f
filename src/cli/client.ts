/** Tiny HTTP client for the CLI commands that talk to a running gateway. */
export interface ClientOptions {
  url: string;
  apiKey?: string;
}

export async function call<T>(o: ClientOptions, path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (o.apiKey) headers.set('authorization', `Bearer ${o.apiKey}`);
  const res = await fetch(`${o.url.replace(/\/+$/, '')}${path}`, { ...init, headers });
  const body = (await res.json().catch(() => ({}))) as T & { error?: string; code?: string };
  if (!res.ok) throw new Error(`${res.status} ${body.code ?? ''}: ${body.error ?? 'request failed'}`);
  return body;
}
