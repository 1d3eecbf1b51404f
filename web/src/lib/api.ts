/**
 * The one API client of the UI: every request goes through here, so the API key (kept in the
 * browser once entered) is added in one place. Errors come back as ApiFailure with the
 * gateway's stable `code`.
 */
export interface ApiErrorBody {
  error: string;
  code: string;
}

import type { TFunction } from 'i18next';
import { errorText, type ErrorExtra } from './errors';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    /** The server's (English) message; the page shows the catalog's text for known codes. */
    message: string,
    /** The rest of the error body (details some codes carry). */
    readonly extra: ErrorExtra = {},
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
    const { error, code, ...extra } = (body && typeof body === 'object' ? body : {}) as Partial<ApiErrorBody> & ErrorExtra;
    throw new ApiFailure(res.status, code ?? `http_${res.status}`, error ?? `Request failed (${res.status})`, extra);
  }
  return body as T;
}

/** Any error from `api` as one line for the page, in the UI's language (message, code, what to do). */
export function describeError(err: unknown, t: TFunction): string {
  if (err instanceof ApiFailure) return errorText(t, err.code, err.message, err.extra);
  return err instanceof Error ? err.message : String(err);
}
