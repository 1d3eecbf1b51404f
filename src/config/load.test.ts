import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, heygemPreset, loadConfig } from './load.js';

const noEnv = {} as NodeJS.ProcessEnv;

describe('loadConfig', () => {
  it('starts on embedded defaults with no file', () => {
    const c = loadConfig({ env: noEnv, cwd: '/srv' });
    expect(c.engine).toBe('preview');
    expect(c.server).toMatchObject({ host: '127.0.0.1', port: 5003 });
    expect(c.dataDir).toBe('/srv/data');
    expect(c.preview.slots).toBe(2);
    expect(c.heygem.pollIntervalMs).toBe(100);
    expect(c.heygem.fallbackToReferenceAudio).toBe(false);
    expect(c.slots).toEqual([]);
  });

  it('applies PORT, HOST and DATA_DIR overrides', () => {
    const c = loadConfig({ env: { PORT: '8080', HOST: '0.0.0.0', DATA_DIR: '/var/x' } as NodeJS.ProcessEnv });
    expect(c.server.port).toBe(8080);
    expect(c.server.host).toBe('0.0.0.0');
    expect(c.dataDir).toBe('/var/x');
  });

  it('expands the heygem-3gpu preset to the replaced layout', () => {
    const c = loadConfig({ env: noEnv, inline: { engine: 'heygem', slots: 'heygem-3gpu' } });
    expect(c.slots.map((s) => [s.videoUrl, s.ttsUrl])).toEqual([
      ['http://127.0.0.1:8390', 'http://127.0.0.1:18182'],
      ['http://127.0.0.1:8391', 'http://127.0.0.1:18183'],
      ['http://127.0.0.1:8392', 'http://127.0.0.1:18184'],
    ]);
    expect(c.slots[2].videoDataDir).toMatch(/heygem_data\/gpu2$/);
    expect(c.slots[0].videoContainerDataDir).toBe('/code/data');
    expect(heygemPreset(1, '/h')[0].tts.dataDir).toBe('/h/heygem_data/tts0');
  });

  it('reads YAML files named by HEYGEM_GATEWAY_CONFIG', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'gw.yaml');
    writeFileSync(
      file,
      'engine: heygem\nslots:\n  - id: 0\n    video: { url: "http://127.0.0.1:8390", dataDir: ./gpu0 }\n    tts: { url: "http://127.0.0.1:18182", dataDir: ./tts0 }\n',
    );
    const c = loadConfig({ env: { HEYGEM_GATEWAY_CONFIG: file } as NodeJS.ProcessEnv, cwd: dir });
    expect(c.slots[0].videoDataDir).toBe(join(dir, 'gpu0'));
    expect(c.source).toBe(file);
  });

  it('lists every bad key in one error', () => {
    try {
      loadConfig({ env: { PORT: 'abc' } as NodeJS.ProcessEnv, inline: { engine: 'gpu', bogus: 1, heygem: { pollIntervalMs: -1 } } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toContain('PORT');
      expect(msg).toContain('engine');
      expect(msg).toContain('bogus');
      expect(msg).toContain('heygem.pollIntervalMs');
    }
  });

  it('refuses heygem without slots and slots sharing a video data dir', () => {
    expect(() => loadConfig({ env: noEnv, inline: { engine: 'heygem' } })).toThrow(/slots: required/);
    const s = { video: { url: 'http://127.0.0.1:1', dataDir: '/d' }, tts: { url: 'http://127.0.0.1:2', dataDir: '/t' } };
    expect(() => loadConfig({ env: noEnv, inline: { engine: 'heygem', slots: [{ id: 0, ...s }, { id: 1, ...s }] } })).toThrow(/slots\[1\]\.video\.dataDir: shared with another slot/);
  });

  it('names every bad slot field by its path, all at once', () => {
    const slots = [
      { id: 0, video: { url: '127.0.0.1:8390', dataDir: '/g0' }, tts: { url: 'http://127.0.0.1:18182', dataDir: '/t0' } },
      { id: 1, video: { url: 'http://127.0.0.1:8391', dataDir: '/g1' }, tts: { url: 'http://127.0.0.1:18183' } },
      { id: 0, video: { url: 'http://127.0.0.1:8392', dataDir: '/g2' }, tts: { url: 'http://127.0.0.1:18184', dataDir: '/t2' } },
    ];
    let problems: string[] = [];
    try {
      loadConfig({ env: noEnv, inline: { engine: 'heygem', slots } });
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems).toContain('slots[0].video.url: expected http(s) URL, e.g. http://127.0.0.1:8390');
    expect(problems).toContain('slots[1].tts.dataDir: required');
    expect(problems).toContain('slots[2].id: duplicate id 0 (also slots[0])');
    expect(problems.join('\n')).not.toMatch(/Invalid input/);
  });

  it('refuses unknown keys at every depth, with a suggestion for a typo', () => {
    let problems: string[] = [];
    try {
      loadConfig({
        env: noEnv,
        inline: {
          scheduler: { maxAttemps: 5 },
          server: { trustproxy: true },
          limits: { somethingElse: 1 },
          engine: 'heygem',
          slots: [{ id: 0, video: { url: 'http://127.0.0.1:1', dataDir: '/g', colour: 1 }, tts: { url: 'http://127.0.0.1:2', dataDir: '/t' } }],
          heygem: { tts: { topP: 0.5 } },
        },
      });
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual(
      expect.arrayContaining([
        'scheduler.maxAttemps: unknown key, did you mean maxAttempts?',
        'server.trustproxy: unknown key, did you mean trustProxy?',
        'limits.somethingElse: unknown key',
        'slots[0].video.colour: unknown key',
        'heygem.tts.topP: unknown key, did you mean top_p?',
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('reads server timeouts and trustProxy in every form', () => {
    const c = loadConfig({ env: noEnv, inline: { server: { trustProxy: ['127.0.0.1', '10.0.0.0/8', 'loopback'], requestTimeoutMs: 5000, headersTimeoutMs: 1000 } } });
    expect(c.server).toMatchObject({ trustProxy: ['127.0.0.1', '10.0.0.0/8', 'loopback'], requestTimeoutMs: 5000, headersTimeoutMs: 1000, keepAliveTimeoutMs: 72_000 });
    expect(loadConfig({ env: noEnv }).server.trustProxy).toBe(false);
    expect(loadConfig({ env: noEnv, inline: { server: { trustProxy: 1 } } }).server.trustProxy).toBe(1);
    expect(() => loadConfig({ env: noEnv, inline: { server: { trustProxy: ['10.0.0.0/33'] } } })).toThrow(/server\.trustProxy\[0\]: expected an IP address/);
    expect(() => loadConfig({ env: noEnv, inline: { server: { requestTimeoutMs: 1000, headersTimeoutMs: 2000 } } })).toThrow(/server\.headersTimeoutMs: headersTimeoutMs must not exceed requestTimeoutMs/);
  });
});
