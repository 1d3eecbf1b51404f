/** The `publish` config section: defaults, and one error naming each bad key. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/load.js';

const load = (publish: unknown) => loadConfig({ env: {}, inline: { publish } });

describe('publish config', () => {
  it('is off by default and fills documented defaults per target', () => {
    expect(loadConfig({ env: {} }).publish).toMatchObject({ targets: [], maxAttempts: 5, retryBaseDelayMs: 5000, concurrency: 2 });
    const c = load({ targets: [{ id: 'vimeo', type: 'vimeo' }, { id: 'r2', type: 's3', bucket: 'media', region: 'auto', endpoint: 'https://acc.r2.cloudflarestorage.com' }] });
    expect(c.publish.targets[0]).toMatchObject({ id: 'vimeo', enabled: true, default: true, apiUrl: 'https://api.vimeo.com', privacy: 'nobody', nameTemplate: 'HeyGem {task_id}' });
    expect(c.publish.targets[1]).toMatchObject({ prefix: '', keyTemplate: '{task_id}.mp4', forcePathStyle: false, presignExpiresSec: 0, partSizeBytes: 8 * 1024 * 1024 });
  });

  it('refuses unknown keys (such as a secret in the config), bad values — all in one error', () => {
    let err: ConfigError | undefined;
    try {
      load({
        targets: [
          { id: 'a', type: 'vimeo', accessToken: 'oops' },
          { id: 'Bad Id', type: 's3' },
          { id: 'p', type: 'vimeo', privacy: 'public' },
        ],
      });
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const text = err!.problems.join('\n');
    expect(text).toContain('publish.targets[0].accessToken: unknown key');
    expect(text).toContain('publish.targets[1].id');
    expect(text).toContain('publish.targets[1].bucket');
    expect(text).toContain('publish.targets[2].privacy');
    expect(text).not.toContain('oops');
  });

  it('refuses two targets with one id (their credentials and request values would collide)', () => {
    expect(() => load({ targets: [{ id: 'a', type: 'vimeo' }, { id: 'a', type: 's3', bucket: 'b1x' }] })).toThrow('publish.targets[1].id: duplicate target id "a"');
  });
});
