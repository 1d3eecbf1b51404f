/**
 * The one API client of the UI: every request goes through here, so the API key (kept in the
 * browser once entered) is added in one place. Errors come back as ApiFailure with the
 * gateway's stable `code`.
 */
export interface ApiErrorBody {
  error: string;
  code: string;
}

import { errorText } from './format';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const KEY = 'heygem.apiKey';

export function getApiKey(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function setApiKey(key: string): void {
  if (key) localStorage.setItem(KEY, key);
  else localStorage.removeItem(KEY);
}

/** For URLs the browser loads itself (<video src>, EventSource): the key rides in the query. */
export function withToken(url: string): string {
  const key = getApiKey();
  return key ? `${url}${url.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(key)}` : url;
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  const key = getApiKey();
  if (key) headers.set('authorization', `Bearer ${key}`);
  if (init.body && typeof init.body === 'string') headers.set('content-type', 'application/json');
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers });
  } catch (err) {
    if (init.signal?.aborted) throw err; // the caller gave up: not a failure to show
    throw new ApiFailure(0, 'network', 'The gateway could not be reached');
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const e = (body ?? {}) as Partial<ApiErrorBody>;
    throw new ApiFailure(res.status, e.code ?? `http_${res.status}`, e.error ?? `Request failed (${res.status})`);
  }
  return body as T;
}

/** Any error from `api` as one line for the page (message, code, what to do). */
export function describeError(err: unknown): string {
  if (err instanceof ApiFailure) return errorText(err.code, err.message);
  return err instanceof Error ? err.message : String(err);
}
