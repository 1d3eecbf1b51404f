import { describe, expect, it } from 'vitest';
import { createLogger, defaultLogFormat, prettyLine } from './logger.js';

function capture() {
  const lines: string[] = [];
  return { lines, destination: { write: (l: string) => lines.push(l) } };
}

describe('logger', () => {
  it('chooses JSON unless stdout is a terminal, and LOG_FORMAT overrides', () => {
    expect(defaultLogFormat({}, false)).toBe('json');
    expect(defaultLogFormat({}, true)).toBe('pretty');
    expect(defaultLogFormat({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(defaultLogFormat({ LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
  });

  it('writes one JSON object per line in json format', () => {
    const c = capture();
    createLogger('info', { format: 'json', destination: c.destination }).info({ taskId: 't1', slot: 0 }, 'hello');
    const o = JSON.parse(c.lines[0]) as Record<string, unknown>;
    expect(o).toMatchObject({ level: 30, msg: 'hello', taskId: 't1', slot: 0, service: 'heygem-gateway' });
    expect(typeof o.time).toBe('string');
  });

  it('writes readable lines in pretty format: time, level, message, fields, error stack', () => {
    const c = capture();
    const log = createLogger('debug', { format: 'pretty', destination: c.destination, color: false });
    log.info({ taskId: 't1', slot: 2, note: 'two words' }, 'task t1 tts → rendering');
    log.error({ err: new Error('disk full') }, 'write failed');
    log.trace('not shown at debug');
    expect(c.lines).toHaveLength(2);
    expect(c.lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  task t1 tts → rendering {2}taskId=t1 slot=2 note="two words"\n$/);
    expect(c.lines[1]).toMatch(/ERROR write failed\n {4}Error: disk full\n\s+at /);
    expect(c.lines.join('')).not.toContain('{"level"');
  });

  it('passes a line that is not JSON through unchanged', () => {
    expect(prettyLine('plain text')).toBe('plain text\n');
  });
});
