/**
 * Structured JSON logs (pino). Every line about a task carries `taskId` and `slot`.
 * Tests pass `silent`.
 */
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'heygem-gateway' }, timestamp: pino.stdTimeFunctions.isoTime });
}
