/** S3 adapter against the SigV4-checking fake S3 (test/fakes/s3.fake.ts). */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeS3 } from '../../test/fakes/s3.fake.js';
import { S3Uploader, type S3TargetOptions } from './s3.uploader.js';
import { PublishError, type UploadJob } from './uploader.js';

let s3: FakeS3;
const dir = mkdtempSync(join(tmpdir(), 'hg-s3-'));
const small = join(dir, 'small.mp4');
const big = join(dir, 'big.mp4');
const smallBytes = randomBytes(100_000);
const bigBytes = randomBytes(11 * 1024 * 1024 + 123);

beforeAll(async () => {
  s3 = await new FakeS3().start();
  writeFileSync(small, smallBytes);
  writeFileSync(big, bigBytes);
});
afterAll(() => s3.stop());

const opts = (o: Partial<S3TargetOptions> = {}): S3TargetOptions => ({
  bucket: s3.bucket,
  prefix: 'heygem/',
  keyTemplate: '{date}/{task_id}.mp4',
  region: s3.region,
  endpoint: s3.url,
  forcePathStyle: true,
  presignExpiresSec: 0,
  partSizeBytes: 5 * 1024 * 1024,
  requestTimeoutMs: 10_000,
  ...o,
});
const creds = () => ({ kind: 's3' as const, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey });
const job = (filePath: string, size: number, taskId = 'task_a1'): UploadJob => ({
  taskId,
  filePath,
  size,
  text: 'hello',
  finishedAt: Date.UTC(2026, 10, 29, 12),
  resume: null,
  saveResume: async () => {},
  signal: new AbortController().signal,
});

describe('S3Uploader', () => {
  it('puts a small video in one signed PutObject under prefix + key template, with a public link', async () => {
    const up = new S3Uploader(opts({ publicBaseUrl: 'https://cdn.example.com/media/' }), creds());
    const r = await up.upload(job(small, smallBytes.length));
    expect(r).toEqual({ remoteId: 'heygem/2026-11-29/task_a1.mp4', url: 'https://cdn.example.com/media/heygem/2026-11-29/task_a1.mp4' });
    const o = s3.objects.get('heygem/2026-11-29/task_a1.mp4')!;
    expect(o.contentType).toBe('video/mp4');
    expect(o.data.equals(smallBytes)).toBe(true);
    expect(s3.log.at(-1)).toBe('PutObject');
    up.close();
  });

  it('sends a large video as a multipart upload and the parts assemble to the same bytes', async () => {
    const up = new S3Uploader(opts(), creds());
    const before = s3.log.length;
    const r = await up.upload(job(big, bigBytes.length, 'task_big'));
    expect(r.url).toBe(`s3://${s3.bucket}/heygem/2026-11-29/task_big.mp4`);
    const ops = s3.log.slice(before);
    expect(ops[0]).toBe('CreateMultipartUpload');
    expect(ops.filter((o) => o.startsWith('UploadPart')).sort()).toEqual(['UploadPart:1', 'UploadPart:2', 'UploadPart:3']);
    expect(ops.at(-1)).toBe('CompleteMultipartUpload');
    expect(s3.objects.get('heygem/2026-11-29/task_big.mp4')!.data.equals(bigBytes)).toBe(true);
    up.close();
  });

  it('links with a presigned GET that the fake accepts, and refuses once tampered with', async () => {
    const up = new S3Uploader(opts({ presignExpiresSec: 600 }), creds());
    const r = await up.upload(job(small, smallBytes.length, 'task_pre'));
    expect(r.url).toMatch(/X-Amz-Signature=[0-9a-f]{64}/);
    const ok = await fetch(r.url);
    expect(ok.status).toBe(200);
    expect(Buffer.from(await ok.arrayBuffer()).equals(smallBytes)).toBe(true);
    const tampered = await fetch(r.url.replace('X-Amz-Expires=600', 'X-Amz-Expires=6000'));
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const otherKey = await fetch(r.url.replace('task_pre', 'task_a1'));
    expect(otherKey.status).toBe(403);
    up.close();
  });

  it('a wrong secret is a permanent failure (the fake checks the signature)', async () => {
    const up = new S3Uploader(opts(), { ...creds(), secretAccessKey: 'not-the-secret' });
    const err = await up.upload(job(small, smallBytes.length, 'task_bad')).catch((e) => e);
    expect(err).toBeInstanceOf(PublishError);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('SignatureDoesNotMatch');
    expect(s3.objects.has('heygem/2026-11-29/task_bad.mp4')).toBe(false);
    up.close();
  });

  it('a throttled or failing server is retryable', async () => {
    const up = new S3Uploader(opts(), creds());
    s3.failNext(1, 503, 'SlowDown');
    const err = await up.upload(job(small, smallBytes.length, 'task_slow')).catch((e) => e);
    expect(err).toBeInstanceOf(PublishError);
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('SlowDown');
    up.close();
  });

  it('the fake rejects a header changed after signing and a body that does not match its hash', async () => {
    const client = new S3Client({ region: s3.region, endpoint: s3.url, forcePathStyle: true, credentials: creds(), maxAttempts: 1 });
    const tamper = (change: (req: { headers: Record<string, string>; body: unknown }) => void) =>
      client.middlewareStack.add((next) => async (args) => (change(args.request as never), next(args)), { step: 'finalizeRequest', priority: 'low', name: 'tamper', override: true });
    tamper((r) => (r.headers['content-type'] = 'text/plain'));
    await expect(client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'x.mp4', Body: Buffer.from('abc'), ContentType: 'video/mp4' }))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    tamper((r) => (r.body = Buffer.from('abd')));
    await expect(client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'x.mp4', Body: Buffer.from('abc'), ContentType: 'video/mp4' }))).rejects.toMatchObject({ name: 'XAmzContentSHA256Mismatch' });
    expect(s3.objects.has('x.mp4')).toBe(false);
    client.destroy();
  });
});
