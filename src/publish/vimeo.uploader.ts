/**
 * Vimeo, API 3.4, resumable "tus" approach:
 *   1. POST {api}/me/videos {"upload": {"approach": "tus", "size": N}, name, description,
 *      privacy.view} with `Authorization: bearer <token>` → `upload.upload_link`, `uri`, `link`.
 *   2. PATCH upload_link in chunks (`Tus-Resumable: 1.0.0`, `Upload-Offset`,
 *      `Content-Type: application/offset+octet-stream`); each answer carries the new offset.
 *   3. HEAD upload_link: done when Upload-Offset equals Upload-Length.
 * The link is saved right after step 1, so a later attempt (or a restarted gateway) asks the
 * server for its offset with HEAD and sends only the missing bytes.
 */
import { createReadStream } from 'node:fs';
import type { VimeoCredentials } from './credentials.js';
import { httpCall, type HttpAnswer } from './http-client.js';
import { renderTemplate } from './template.js';
import { PublishError, retryableStatus, type UploadJob, type UploadResult, type Uploader } from './uploader.js';

export interface VimeoTargetOptions {
  apiUrl: string;
  nameTemplate: string;
  descriptionTemplate: string;
  privacy: string;
  chunkBytes: number;
  requestTimeoutMs: number;
}

export const VIMEO_ACCEPT = 'application/vnd.vimeo.*+json;version=3.4';
const TUS = '1.0.0';

interface VimeoResume {
  uploadLink: string;
  uri: string;
  link: string;
  size: number;
}

function header(a: HttpAnswer, name: string): string | undefined {
  const v = a.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function offsetOf(a: HttpAnswer): number | null {
  const v = header(a, 'upload-offset');
  const n = v === undefined ? NaN : Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** The provider's own words, short: Vimeo errors are JSON with `error` / `developer_message`. */
function describe(a: HttpAnswer): string {
  try {
    const j = JSON.parse(a.body.toString('utf8')) as { error?: string; developer_message?: string };
    const dev = j.developer_message && j.developer_message !== j.error ? ` (${j.developer_message})` : '';
    if (j.error || j.developer_message) return `${j.error ?? ''}${dev}`.slice(0, 300);
  } catch {
    /* not JSON */
  }
  return a.body.toString('utf8').replace(/\s+/g, ' ').slice(0, 200) || 'no body';
}

function fail(step: string, a: HttpAnswer): never {
  throw new PublishError(`Vimeo ${step}: HTTP ${a.status}: ${describe(a)}`, retryableStatus(a.status));
}

export class VimeoUploader implements Uploader {
  readonly type = 'vimeo' as const;

  constructor(
    private readonly o: VimeoTargetOptions,
    private readonly creds: VimeoCredentials,
  ) {}

  private async call(job: UploadJob, c: Omit<Parameters<typeof httpCall>[0], 'timeoutMs' | 'signal'>): Promise<HttpAnswer> {
    try {
      return await httpCall({ ...c, timeoutMs: this.o.requestTimeoutMs, signal: job.signal });
    } catch (err) {
      if (job.signal.aborted) throw err;
      const e = err as NodeJS.ErrnoException;
      throw new PublishError(`Vimeo ${c.method} ${new URL(c.url).host}: ${e.code ?? e.message}`, true);
    }
  }

  private async create(job: UploadJob): Promise<VimeoResume> {
    const vars = { taskId: job.taskId, at: job.finishedAt, text: job.text };
    const body = Buffer.from(
      JSON.stringify({
        upload: { approach: 'tus', size: job.size },
        name: renderTemplate(this.o.nameTemplate, vars).slice(0, 128),
        description: renderTemplate(this.o.descriptionTemplate, vars).slice(0, 5000),
        privacy: { view: this.o.privacy },
      }),
    );
    const a = await this.call(job, {
      method: 'POST',
      url: `${this.o.apiUrl.replace(/\/+$/, '')}/me/videos`,
      headers: {
        Authorization: `bearer ${this.creds.accessToken}`,
        'Content-Type': 'application/json',
        Accept: VIMEO_ACCEPT,
        'Content-Length': String(body.length),
      },
      body,
    });
    if (a.status < 200 || a.status >= 300) fail('create video', a);
    let j: { uri?: unknown; link?: unknown; upload?: { upload_link?: unknown; approach?: unknown } };
    try {
      j = JSON.parse(a.body.toString('utf8'));
    } catch {
      throw new PublishError('Vimeo create video: answer is not JSON', true);
    }
    const uploadLink = j.upload?.upload_link;
    if (typeof uploadLink !== 'string' || typeof j.uri !== 'string' || typeof j.link !== 'string') {
      throw new PublishError('Vimeo create video: answer lacks upload.upload_link, uri or link', true);
    }
    if (j.upload?.approach !== undefined && j.upload.approach !== 'tus') throw new PublishError(`Vimeo offered upload approach "${String(j.upload.approach)}", not tus`, false);
    return { uploadLink, uri: j.uri, link: j.link, size: job.size };
  }

  /** The server's offset, or null when the upload link is gone (expired) and must be recreated. */
  private async head(job: UploadJob, r: VimeoResume): Promise<{ offset: number; length: number | null } | null> {
    const a = await this.call(job, { method: 'HEAD', url: r.uploadLink, headers: { 'Tus-Resumable': TUS, Accept: VIMEO_ACCEPT } });
    if (a.status === 404 || a.status === 410) return null;
    if (a.status < 200 || a.status >= 300) fail('upload status (HEAD)', a);
    const offset = offsetOf(a);
    if (offset === null) throw new PublishError('Vimeo upload status (HEAD): no valid Upload-Offset', true);
    const len = Number(header(a, 'upload-length'));
    return { offset, length: Number.isSafeInteger(len) ? len : null };
  }

  private async patch(job: UploadJob, r: VimeoResume, offset: number): Promise<number> {
    const end = Math.min(job.size, offset + this.o.chunkBytes);
    const a = await this.call(job, {
      method: 'PATCH',
      url: r.uploadLink,
      headers: {
        'Tus-Resumable': TUS,
        'Upload-Offset': String(offset),
        'Content-Type': 'application/offset+octet-stream',
        'Content-Length': String(end - offset),
        Accept: VIMEO_ACCEPT,
      },
      body: createReadStream(job.filePath, { start: offset, end: end - 1 }),
    });
    if (a.status === 409) {
      // Our idea of the offset is stale (a previous chunk landed after all): ask the server.
      const h = await this.head(job, r);
      if (!h) throw new PublishError('Vimeo upload link expired during the upload', true);
      return h.offset;
    }
    if (a.status < 200 || a.status >= 300) fail('upload chunk (PATCH)', a);
    const next = offsetOf(a);
    if (next === null || next <= offset || next > job.size) throw new PublishError(`Vimeo upload chunk: bad Upload-Offset in answer (${header(a, 'upload-offset') ?? 'none'})`, true);
    return next;
  }

  async upload(job: UploadJob): Promise<UploadResult> {
    let r = job.resume as VimeoResume | null;
    let offset = 0;
    if (r && r.size === job.size && typeof r.uploadLink === 'string') {
      const h = await this.head(job, r);
      if (h) offset = h.offset;
      else r = null;
    } else r = null;
    if (!r) {
      r = await this.create(job);
      await job.saveResume(r as unknown as Record<string, unknown>);
    }
    while (offset < job.size) offset = await this.patch(job, r, offset);
    const h = await this.head(job, r);
    if (!h) throw new PublishError('Vimeo upload link vanished before the upload could be verified', true);
    if (h.offset !== job.size || (h.length !== null && h.length !== job.size)) {
      throw new PublishError(`Vimeo upload incomplete: server has ${h.offset} of ${job.size} bytes`, true);
    }
    return { url: r.link, remoteId: r.uri };
  }
}
