import { describe, expect, it } from 'vitest';
import { normalizeRequestUrl } from './request-path.js';

const url = (raw: string) => {
  const v = normalizeRequestUrl(raw);
  return v.ok ? v.url : null;
};

describe('normalizeRequestUrl', () => {
  it('leaves plain paths and their query alone', () => {
    expect(url('/api/tasks?limit=5&q=%E4%BD%A0')).toBe('/api/tasks?limit=5&q=%E4%BD%A0');
    expect(url('/')).toBe('/');
    expect(url('/assets/index-AbC.js')).toBe('/assets/index-AbC.js');
  });

  it('collapses duplicate slashes, dot segments and a trailing slash after the first segment', () => {
    expect(url('/api//tasks')).toBe('/api/tasks');
    expect(url('/api/./tasks/')).toBe('/api/tasks');
    expect(url('/api/tasks/%2e%2e/queue')).toBe('/api/queue');
    expect(url('/api/st%61tus/01kbx')).toBe('/api/status/01kbx');
  });

  it('refuses a first segment that only normalization would make match', () => {
    for (const raw of ['/%61pi/tasks', '/%6futputs/x.mp4', '/%6detrics', '//api/tasks', '/./api/tasks', '/API/tasks', '/Api/tasks', '/api/../outputs/x.mp4', '/%2e/api/tasks', '/..', '/x/../../api']) {
      expect(normalizeRequestUrl(raw).ok, raw).toBe(false);
    }
  });

  it('refuses encodings no route needs', () => {
    for (const raw of ['/api/tasks%2fx', '/api/tasks%2Fx', '/api/tasks%5cx', '/api/tasks%00', '/api/%2561pi', '/api/tasks;x=1', '/api;/tasks', '/api/%c0%af', '/api/%e0%80%af', '/api/%ff', '/api/%zz', 'api/tasks', 'http://h/api/tasks', '/api/t\u0000']) {
      expect(normalizeRequestUrl(raw).ok, raw).toBe(false);
    }
  });
});
