import { describe, expect, it } from 'vitest';
import { gatewayTarget, httpErrorMessage, unreachableMessage } from './client.js';

describe('where the client commands look for the gateway', () => {
  it('--url, then HEYGEM_GATEWAY_URL, then PORT (and HOST) on this host, then 127.0.0.1:5003', () => {
    const env = { HEYGEM_GATEWAY_URL: 'http://gw.example:8080/', PORT: '6000' } as NodeJS.ProcessEnv;
    expect(gatewayTarget({ url: 'http://10.0.0.5:5003/' }, env).url).toBe('http://10.0.0.5:5003');
    expect(gatewayTarget({}, env).url).toBe('http://gw.example:8080');
    expect(gatewayTarget({}, { PORT: '6000' } as NodeJS.ProcessEnv).url).toBe('http://127.0.0.1:6000');
    expect(gatewayTarget({}, { PORT: '6000', HOST: '0.0.0.0' } as NodeJS.ProcessEnv).url).toBe('http://127.0.0.1:6000');
    expect(gatewayTarget({}, { PORT: '6000', HOST: '::1' } as NodeJS.ProcessEnv).url).toBe('http://[::1]:6000');
    expect(gatewayTarget({}, { HOST: '192.168.1.4' } as NodeJS.ProcessEnv).url).toBe('http://192.168.1.4:5003');
    expect(gatewayTarget({}, { PORT: '' } as NodeJS.ProcessEnv).url).toBe('http://127.0.0.1:5003');
  });

  it('takes the key from --key, else HEYGEM_GATEWAY_KEY', () => {
    expect(gatewayTarget({ key: 'a' }, { HEYGEM_GATEWAY_KEY: 'b' } as NodeJS.ProcessEnv).apiKey).toBe('a');
    expect(gatewayTarget({}, { HEYGEM_GATEWAY_KEY: 'b' } as NodeJS.ProcessEnv).apiKey).toBe('b');
    expect(gatewayTarget({}, {} as NodeJS.ProcessEnv).apiKey).toBeUndefined();
  });

  it('phrases failures as what to do', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(unreachableMessage('http://127.0.0.1:5003', refused)).toBe(
      'cannot reach http://127.0.0.1:5003 (ECONNREFUSED) — is the gateway running? start it with `npm start` (or `heygem-gateway serve`), or point --url / HEYGEM_GATEWAY_URL at it',
    );
    expect(httpErrorMessage('http://h/api/tasks', 401, { error: 'API key required', code: 'auth_required' })).toMatch(/^http:\/\/h\/api\/tasks answered HTTP 401 auth_required: API key required — pass an API key with --key/);
    expect(httpErrorMessage('http://h/api/x', 500, {})).toBe('http://h/api/x answered HTTP 500: request failed');
  });
});
