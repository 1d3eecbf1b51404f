/**
 * Logs (pino). Every line about a task carries `taskId` and `slot`.
 *
 * Format: one JSON object per line for machines (journald, Docker, log shippers) — the default
 * whenever stdout is not a terminal — and short readable lines on a terminal. `LOG_FORMAT=json`
 * or `LOG_FORMAT=pretty` overrides the choice. The pretty formatter is a few lines here rather
 * than pino-pretty: it runs in the same thread on already-serialized lines, which is cheap at a
 * terminal's volume, and keeps a dependency (and its worker thread) out of production.
 * Tests pass their own silent logger.
 */
import pino from 'pino';

export type Logger = pino.Logger;
export type LogFormat = 'json' | 'pretty';

export interface LoggerOptions {
  /** Default: LOG_FORMAT, else pretty when stdout is a terminal. */
  format?: LogFormat;
  /** Where lines go (default stdout). */
  destination?: { write(line: string): unknown };
  /** Colors in pretty lines (default: when the destination is a terminal and NO_COLOR is unset). */
  color?: boolean;
}

export function defaultLogFormat(env: NodeJS.ProcessEnv = process.env, isTty = Boolean(process.stdout.isTTY)): LogFormat {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return isTty ? 'pretty' : 'json';
}

export function createLogger(level: string, o: LoggerOptions = {}): Logger {
  const format = o.format ?? defaultLogFormat();
  const out = o.destination ?? process.stdout;
  const options = { level, base: { service: 'heygem-gateway' }, timestamp: pino.stdTimeFunctions.isoTime };
  if (format === 'json') return o.destination ? pino(options, o.destination as pino.DestinationStream) : pino(options);
  const color = o.color ?? (out === process.stdout && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
  return pino(options, { write: (line: string) => out.write(prettyLine(line, color)) });
}

const LEVELS: Record<number, [string, string]> = {
  10: ['TRACE', '90'],
  20: ['DEBUG', '36'],
  30: ['INFO ', '32'],
  40: ['WARN ', '33'],
  50: ['ERROR', '31'],
  60: ['FATAL', '35'],
};
const OMIT = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname', 'err']);

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s="]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

/** One pino JSON line → `HH:MM:SS.mmm LEVEL message key=value …` (+ the error's stack below). */
export function prettyLine(json: string, color = false): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const [name, code] = LEVELS[o.level as number] ?? [String(o.level), '0'];
  const paint = (c: string, s: string) => (color ? `\u001b[${c}m${s}\u001b[0m` : s);
  const time = typeof o.time === 'string' ? o.time.slice(11, 23) : '';
  const fields = Object.entries(o)
    .filter(([k, v]) => !OMIT.has(k) && v !== undefined)
    .map(([k, v]) => `${paint('2', `${k}=`)}${value(v)}`)
    .join(' ');
  const err = o.err as { type?: string; message?: string; stack?: string } | undefined;
  const stack = err ? `\n    ${(err.stack ?? `${err.type ?? 'Error'}: ${err.message ?? ''}`).replace(/\n/g, '\n    ')}` : '';
  return `${paint('2', time)} ${paint(code, name)} ${o.msg ?? ''}${fields ? `  ${fields}` : ''}${stack}\n`;
}
