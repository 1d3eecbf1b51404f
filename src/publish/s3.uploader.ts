/**
 * S3-compatible object storage (AWS, MinIO, R2, …) through the AWS SDK v3: `Upload` from
 * @aws-sdk/lib-storage streams the file (one PutObject when it fits in a part, multipart
 * otherwise, memory ≈ 2 parts), the SDK signs every request (SigV4). The SDK's own retries are
 * off (maxAttempts 1): the publisher retries with its backoff, so attempts in the status are
 * real attempts.
 */
import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createReadStream } from 'node:fs';
import type { S3Credentials } from './credentials.js';
import { renderKey } from './template.js';
import { PublishError, retryableStatus, type UploadJob, type UploadResult, type Uploader } from './uploader.js';

export interface S3TargetOptions {
  bucket: string;
  prefix: string;
  keyTemplate: string;
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
  publicBaseUrl?: string;
  presignExpiresSec: number;
  partSizeBytes: number;
  requestTimeoutMs: number;
}

/** Encode a key for a URL path, keeping "/" as the separator. */
const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');

function classify(err: unknown): PublishError {
  if (err instanceof PublishError) return err;
  if (err instanceof S3ServiceException) {
    const status = err.$metadata?.httpStatusCode ?? 0;
    return new PublishError(`S3 ${err.name}${status ? ` (HTTP ${status})` : ''}: ${err.message}`.slice(0, 400), status === 0 || retryableStatus(status));
  }
  const e = err as NodeJS.ErrnoException;
  return new PublishError(`S3: ${e.code ?? e.name ?? 'error'}: ${e.message ?? String(err)}`.slice(0, 400), true);
}

export class S3Uploader implements Uploader {
  readonly type = 's3' as const;
  private readonly client: S3Client;

  constructor(
    private readonly o: S3TargetOptions,
    creds: S3Credentials,
  ) {
    this.client = new S3Client({
      region: o.region,
      endpoint: o.endpoint,
      forcePathStyle: o.forcePathStyle,
      credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken },
      maxAttempts: 1,
      requestHandler: { requestTimeout: o.requestTimeoutMs, connectionTimeout: Math.min(o.requestTimeoutMs, 30_000) },
    });
  }

  key(job: Pick<UploadJob, 'taskId' | 'finishedAt'>): string {
    return renderKey(this.o.prefix, this.o.keyTemplate, { taskId: job.taskId, at: job.finishedAt });
  }

  async linkFor(key: string): Promise<string> {
    if (this.o.publicBaseUrl) return `${this.o.publicBaseUrl.replace(/\/+$/, '')}/${encodeKey(key)}`;
    if (this.o.presignExpiresSec > 0) return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.o.bucket, Key: key }), { expiresIn: this.o.presignExpiresSec });
    return `s3://${this.o.bucket}/${key}`;
  }

  async upload(job: UploadJob): Promise<UploadResult> {
    const key = this.key(job);
    const body = createReadStream(job.filePath);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.o.bucket, Key: key, Body: body, ContentType: 'video/mp4', ContentLength: job.size },
      partSize: this.o.partSizeBytes,
      queueSize: 2,
      // A failed multipart upload is aborted, so no orphaned parts are billed.
      leavePartsOnError: false,
    });
    const onAbort = () => void upload.abort().catch(() => {});
    job.signal.addEventListener('abort', onAbort, { once: true });
    try {
      await upload.done();
    } catch (err) {
      if (job.signal.aborted) throw err;
      throw classify(err);
    } finally {
      job.signal.removeEventListener('abort', onAbort);
      body.destroy();
    }
    return { url: await this.linkFor(key), remoteId: key };
  }

  close(): void {
    this.client.destroy();
  }
}
