/**
 * Which store errors are weather — the database restarting, failing over, a connection cut, a
 * busy SQLite file — rather than a bug or bad data. The same call may well succeed in a moment,
 * so background work retries it with backoff (src/tasks/store-retry.ts) and a request answers
 * `503 store_unavailable` with Retry-After instead of a 500 (docs/operations.md, "When the
 * database goes away"). Classified by the driver's codes, never by the message alone, except
 * for the few pg and pg-pool errors that carry no code.
 */
import { DomainError, TaskError } from '../domain/errors.js';

/** Socket-level failures of a connection to the database server. */
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATEs that say "the server (or the connection) is going or not there yet":
 * class 08 (connection exception), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
 * cannot_connect_now (starting up, shutting down, in recovery), 53300 too_many_connections,
 * 40001/40P01 (serialization failure, deadlock: retrying is the documented answer).
 */
const PG_STATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);

/** pg and pg-pool errors without a code, by their fixed wording. */
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Query read timeout',
  'connection timeout',
];

/** SQLite: another connection holds the lock (WAL checkpoint, a long write elsewhere). */
const SQLITE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED_SHAREDCACHE']);

export const STORE_UNAVAILABLE = 'store_unavailable';

/** Seconds a client is told to wait before trying again while the store is away. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/** True when `err` (or anything in its cause chain) says the store is away for now. */
export function isStoreUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof DomainError) return e.code === STORE_UNAVAILABLE;
    // An error already classified for a task (a container that refused a connection is
    // `engine_unreachable`) is not the store's, whatever network error it wraps.
    if (e instanceof TaskError) return e.code === STORE_UNAVAILABLE;
    if (typeof e !== 'object') return false;
    // A store reached over the network says so itself (a runner's gateway: src/runners/).
    if ((e as { storeUnavailable?: unknown }).storeUnavailable === true) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (NET_CODES.has(code) || PG_STATES.has(code) || (code.length === 5 && code.startsWith('08'))) return true;
      if (SQLITE_CODES.has(code)) return true;
    }
    // Several connection attempts failed at once (happy eyeballs, several addresses).
    if (e instanceof AggregateError && e.errors.some((x) => isStoreUnavailable(x))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && PG_MESSAGES.some((m) => message.includes(m))) return true;
  }
  return false;
}

/** The refusal a request gets while the store is away (503 + Retry-After, src/http/errors.ts). */
export function storeUnavailable(cause?: unknown): DomainError {
  return new DomainError(STORE_UNAVAILABLE, 'unavailable', 'The task store (database) is unreachable right now; try again shortly', {}, { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS, cause });
}
