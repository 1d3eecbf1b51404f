import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/load.js';
import { envPrefix, loadCredentials, secretValues } from './credentials.js';
import { REDACT_PATHS, scrubSecrets } from './redact.js';

const targets = [
  { id: 'vimeo-main', type: 'vimeo' as const, enabled: true },
  { id: 'r2', type: 's3' as const, enabled: true },
];

function credsFile(content: unknown, mode = 0o600, inside?: string): string {
  const dir = inside ?? mkdtempSync(join(tmpdir(), 'hg-creds-'));
  const path = join(dir, 'publish-credentials.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  chmodSync(path, mode);
  return path;
}

describe('credential loading', () => {
  it('reads per-target variables; S3 falls back to the AWS_* trio', () => {
    expect(envPrefix('vimeo-main')).toBe('HEYGEM_PUBLISH_VIMEO_MAIN_');
    const c = loadCredentials(targets, { HEYGEM_PUBLISH_VIMEO_MAIN_ACCESS_TOKEN: 'tok-1234', AWS_ACCESS_KEY_ID: 'AK', AWS_SECRET_ACCESS_KEY: 'SK-secret', AWS_SESSION_TOKEN: 'sess-tok' });
    expect(c.get('vimeo-main')).toEqual({ kind: 'vimeo', accessToken: 'tok-1234' });
    expect(c.get('r2')).toEqual({ kind: 's3', accessKeyId: 'AK', secretAccessKey: 'SK-secret', sessionToken: 'sess-tok' });
    expect(secretValues(c).sort()).toEqual(['AK', 'SK-secret', 'sess-tok', 'tok-1234']);
  });

  it('a per-target key id never pairs with the global secret', () => {
    expect(() => loadCredentials(targets, { HEYGEM_PUBLISH_VIMEO_MAIN_ACCESS_TOKEN: 't', HEYGEM_PUBLISH_R2_ACCESS_KEY_ID: 'AK2', AWS_SECRET_ACCESS_KEY: 'global' })).toThrow(ConfigError);
  });

  it('one error names every target without credentials and the variables to set, never a value', () => {
    const err = (() => {
      try {
        loadCredentials(targets, { AWS_ACCESS_KEY_ID: 'AKID-VISIBLE?' });
      } catch (e) {
        return e as ConfigError;
      }
    })()!;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.problems).toHaveLength(2);
    expect(err.message).toContain('HEYGEM_PUBLISH_VIMEO_MAIN_ACCESS_TOKEN');
    expect(err.message).toContain('HEYGEM_PUBLISH_R2_SECRET_ACCESS_KEY');
    expect(err.message).not.toContain('AKID-VISIBLE');
  });

  it('disabled targets need nothing', () => {
    expect(loadCredentials(targets.map((t) => ({ ...t, enabled: false })), {}).size).toBe(0);
  });

  it('reads a private credentials file outside any repository; the environment wins', () => {
    const path = credsFile({ targets: { 'vimeo-main': { accessToken: 'file-token' }, r2: { accessKeyId: 'FAK', secretAccessKey: 'file-secret' } } });
    const c = loadCredentials(targets, { HEYGEM_PUBLISH_CREDENTIALS_FILE: path, HEYGEM_PUBLISH_VIMEO_MAIN_ACCESS_TOKEN: 'env-token' });
    expect(c.get('vimeo-main')).toEqual({ kind: 'vimeo', accessToken: 'env-token' });
    expect(c.get('r2')).toEqual({ kind: 's3', accessKeyId: 'FAK', secretAccessKey: 'file-secret' });
  });

  it('refuses a file others can read, one inside a git checkout, and bad JSON without quoting it', () => {
    expect(() => loadCredentials(targets, {}, credsFile({ targets: {} }, 0o644))).toThrow('chmod 600');
    const repo = mkdtempSync(join(tmpdir(), 'hg-repo-'));
    mkdirSync(join(repo, '.git'));
    mkdirSync(join(repo, 'config'));
    expect(() => loadCredentials(targets, {}, credsFile({ targets: {} }, 0o600, join(repo, 'config')))).toThrow('inside the repository');
    const bad = credsFile('{"targets": {"r2": {"secretAccessKey": "leak-me-not"', 0o600);
    const e = (() => {
      try {
        loadCredentials(targets, {}, bad);
      } catch (x) {
        return x as Error;
      }
    })()!;
    expect(e.message).toContain('not valid JSON');
    expect(e.message).not.toContain('leak-me-not');
  });
});

describe('redaction', () => {
  it('scrubs known secrets, bearer tokens and presigned signatures from text', () => {
    const out = scrubSecrets('failed: token tok-1234 / Authorization: bearer abcdefghijkl / ?X-Amz-Signature=deadbeef00', ['tok-1234', 'abc']);
    expect(out).not.toContain('tok-1234');
    expect(out).not.toContain('abcdefghijkl');
    expect(out).not.toContain('deadbeef00');
    expect(out).toContain('[redacted]');
  });

  it('the publish logger redacts credential fields in anything it logs', () => {
    let text = '';
    const sink = new Writable({ write: (c, _e, cb) => ((text += c.toString()), cb()) });
    const log = pino({ level: 'info' }, sink).child({ component: 'publish' }, { redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
    log.info({ accessToken: 'tok-1234', target: { secretAccessKey: 'SK-secret' }, headers: { authorization: 'bearer tok-1234' }, resume: { uploadLink: 'https://x/tus/1' } }, 'x');
    expect(text).not.toContain('tok-1234');
    expect(text).not.toContain('SK-secret');
    expect(text).not.toContain('https://x/tus/1');
    expect(text).toContain('[redacted]');
  });

  it('scrubs the S3 access key id from an error an endpoint echoed, like the secrets', () => {
    const c = loadCredentials(targets, { HEYGEM_PUBLISH_VIMEO_MAIN_ACCESS_TOKEN: 'tok-1234', HEYGEM_PUBLISH_R2_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', HEYGEM_PUBLISH_R2_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI-secret' });
    const echoed = '<Error><Code>SignatureDoesNotMatch</Code><AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId><CanonicalRequest>Credential=AKIAIOSFODNN7EXAMPLE/20261207/auto/s3/aws4_request</CanonicalRequest></Error>';
    const out = scrubSecrets(echoed, secretValues(c));
    expect(out).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(out).toContain('SignatureDoesNotMatch');
    expect(REDACT_PATHS).toEqual(expect.arrayContaining(['accessKeyId', '*.accessKeyId']));
  });
});
