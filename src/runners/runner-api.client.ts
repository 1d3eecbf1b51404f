/**
 * The runner's HTTP client of the gateway's runner API (/api/runners/v1). Every call that
 * fails on the network or with a 5xx is retried with exponential backoff (full jitter) for up
 * to `retryForMs`, so a gateway restart or a short network outage only delays a runner; a
 * refusal (4xx) is returned to the caller, which decides. The token only ever travels in the
 * Authorization header and is never logged in full (maskToken).
 */
import { openAsBlob } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Fence } from '../domain/task.js';
import type { Logger } from '../logger.js';
import { RUNNER_API } from './api-path.js';
import { HOLDER_RETRY_MAX_DELAY_MS } from '../tasks/store-retry.js';

/** `hgw_1a2b3c4d5e6f_…` → `hgw_1a2b3c4d5e6f_…(hidden)`: the id stays, the secret never shows. */
export function maskToken(token: string): string {
  const m = /^(hgw_[0-9a-f]{12}_)/.exec(token);
  return m ? `${m[1]}…` : `${token.slice(0, 4)}…`;
}

/**
 * The gateway did not answer (or answered 502/503/504) for longer than a call's retry window.
 * For a runner the gateway is its task store, so this is a store outage: the runner's moves wait
 * it out (src/tasks/store-retry.ts) and its finished result is uploaded when the gateway is back.
 */
export class GatewayUnreachable extends Error {
  readonly storeUnavailable = true;
  constructor(what: string, cause: unknown) {
    super(`gateway unreachable for ${what}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'GatewayUnreachable';
  }
}

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T & { code?: string; error?: string };
}

export interface CallOptions {
  body?: unknown;
  form?: FormData;
  fence?: Fence;
  /** How long to keep retrying network faults and 5xx; default the client's. 0 = one try. */
  retryForMs?: number;
  signal?: AbortSignal;
  /** Per-try timeout (long polls pass their wait plus a margin). */
  timeoutMs?: number;
}

export interface RunnerApiOptions {
  server: string;
  token: string;
  log: Logger;
  retryForMs: number;
  requestTimeoutMs: number;
  /** First backoff step; doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export class RunnerApi {
  private readonly base: string;
  /** Retries in progress, for logging the outage once rather than every try. */
  private outageSince: number | null = null;
  /** Default retry window of a call (set from the lease once the gateway told it). */
  retryFor: number;

  constructor(private readonly o: RunnerApiOptions) {
    this.base = `${o.server.replace(/\/+$/, '')}${RUNNER_API}`;
    this.retryFor = o.retryForMs;
  }

  get server(): string {
    return this.o.server;
  }

  async call<T = Record<string, unknown>>(method: 'GET' | 'POST', path: string, c: CallOptions = {}): Promise<ApiAnswer<T>> {
    const retryFor = c.retryForMs ?? this.retryFor;
    const started = Date.now();
    let backoff = this.o.backoffMs ?? 200;
    for (let tryNo = 1; ; tryNo++) {
      try {
        const res = await this.once(method, path, c);
        if (res.status < 500) {
          if (this.outageSince !== null) this.o.log.info({ downMs: Date.now() - this.outageSince }, 'gateway reachable again');
          this.outageSince = null;
          return res as ApiAnswer<T>;
        }
        if (Date.now() - started >= retryFor) return res as ApiAnswer<T>;
        this.noteOutage(path, `HTTP ${res.status}`, tryNo);
      } catch (err) {
        if (c.signal?.aborted) throw err;
        if (Date.now() - started >= retryFor) throw new GatewayUnreachable(`${method} ${path}`, err);
        this.noteOutage(path, err, tryNo);
      }
      const wait = Math.min(backoff, Math.max(0, retryFor - (Date.now() - started)));
      backoff = Math.min(this.o.maxBackoffMs ?? HOLDER_RETRY_MAX_DELAY_MS, backoff * 2);
      await sleep(Math.round(wait / 2 + (Math.random() * wait) / 2), undefined, { signal: c.signal });
    }
  }

  private noteOutage(path: string, why: unknown, tryNo: number): void {
    if (this.outageSince === null) this.outageSince = Date.now();
    if (tryNo === 1) this.o.log.warn({ path, err: why instanceof Error ? why.message : String(why) }, 'gateway call failed; retrying with backoff');
  }

  private async once(method: string, path: string, c: CallOptions): Promise<ApiAnswer> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.o.token}` };
    if (c.fence) {
      headers['x-job-attempt'] = String(c.fence.attempt);
      headers['x-job-token'] = c.fence.token;
    }
    let body: string | FormData | undefined;
    if (c.form) body = c.form;
    else if (c.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(c.body);
    } else if (method === 'POST') {
      headers['content-type'] = 'application/json';
      body = '{}';
    }
    const timeout = AbortSignal.timeout(c.timeoutMs ?? this.o.requestTimeoutMs);
    const signal = c.signal ? AbortSignal.any([c.signal, timeout]) : timeout;
    const res = await fetch(`${this.base}${path}`, { method, headers, body, signal });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { error: text.slice(0, 200) };
    }
    return { status: res.status, body: parsed };
  }

  /** Stream an input of a held job to `dest` (no retry inside: the caller retries the whole download). */
  async download(path: string, fence: Fence, signal?: AbortSignal): Promise<Response> {
    const headers = { authorization: `Bearer ${this.o.token}`, 'x-job-attempt': String(fence.attempt), 'x-job-token': fence.token };
    return fetch(`${this.base}${path}`, { headers, signal });
  }

  /** The multipart result upload: files are read from disk as blobs (not buffered whole). */
  async resultForm(files: { video: string; speech: string }, patch: Record<string, unknown>): Promise<FormData> {
    const form = new FormData();
    form.set('patch', JSON.stringify(patch));
    form.set('video', await openAsBlob(files.video, { type: 'video/mp4' }), 'result.mp4');
    form.set('speech', await openAsBlob(files.speech, { type: 'audio/wav' }), 'speech.wav');
    return form;
  }
}
