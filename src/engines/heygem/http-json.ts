/**
 * Small HTTP helpers for the HeyGem containers. The video container answers pretty-printed
 * JSON with a text/html content type, so bodies are always parsed from text, never by type.
 * Network failures become `engine_unreachable` (retryable) — the one place that decides it.
 */
import { TaskError } from '../../domain/errors.js';

export interface PostOptions {
  signal: AbortSignal;
  timeoutMs: number;
}

/** Combine the caller's signal (cancel) with a per-call timeout. */
export function withTimeout(signal: AbortSignal, timeoutMs: number): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
}

export async function request(url: string, init: RequestInit & { signal: AbortSignal }, what: string): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    if (init.signal.aborted) {
      const reason = init.signal.reason as Error | undefined;
      if (reason?.name === 'TimeoutError') throw new TaskError('engine_unreachable', `${what}: no answer in time`, { retryable: true, cause: err });
      throw new TaskError('canceled', 'Task was canceled', { cause: err });
    }
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new TaskError('engine_unreachable', `${what}: cannot reach ${new URL(url).origin} (${cause})`, { retryable: true, cause: err });
  }
}

/** Parse a JSON body whatever its content type; undefined when it is not JSON. */
export async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Port number of a container URL (shown in /api/queue as video_port / tts_port). */
export function portOf(url: string): number | null {
  const u = new URL(url);
  if (u.port) return Number(u.port);
  return u.protocol === 'https:' ? 443 : 80;
}
