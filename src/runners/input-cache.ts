/**
 * A remote runner's cache of job inputs (face videos, library voices) under `<dataDir>/cache/`,
 * one file per content hash: a face used by many jobs is downloaded once. Downloads go to a
 * temporary file, are checked against the hash the gateway announced, then renamed into place;
 * the least recently used files beyond `maxFiles` are removed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Fence } from '../domain/task.js';
import type { RunnerApi } from './runner-api.client.js';
import type { WireJob } from './runner-service.js';

const VIDEO_EXT = new Set(['.mp4', '.mov', '.mkv', '.avi', '.webm']);

export class InputCache {
  constructor(
    private readonly api: RunnerApi,
    readonly dir: string,
    private readonly maxFiles: number,
    /** Aborts downloads in progress (the runner is stopping). */
    private readonly signal: AbortSignal,
  ) {}

  /** An input of the job from the cache (by content hash), else downloaded with the lease token. */
  async fetch(job: WireJob, fence: Fence, name: 'video' | 'voice' = 'video'): Promise<string> {
    const want = job.inputs[name]!;
    const ext = name === 'voice' ? '.wav' : VIDEO_EXT.has(extname(job.videoName ?? '').toLowerCase()) ? extname(job.videoName!).toLowerCase() : '.mp4';
    const path = join(this.dir, `${want.sha256}${ext}`);
    const hit = await stat(path).then((s) => s.size === want.size, () => false);
    if (hit) {
      const now = new Date();
      await utimes(path, now, now).catch(() => undefined); // most recently used
      return path;
    }
    await mkdir(this.dir, { recursive: true });
    const tmp = `${path}.part-${randomBytes(4).toString('hex')}`;
    try {
      for (let tryNo = 1; ; tryNo++) {
        try {
          const res = await this.api.download(`/jobs/${job.id}/inputs/${name}`, fence, this.signal);
          if (res.status !== 200 || !res.body) throw new Error(`HTTP ${res.status}`);
          const h = createHash('sha256');
          const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
          body.on('data', (c: Buffer) => h.update(c));
          await pipeline(body, createWriteStream(tmp));
          const got = h.digest('hex');
          if (got !== want.sha256) throw new Error(`content hash mismatch (${got.slice(0, 12)}…)`);
          break;
        } catch (err) {
          if (tryNo >= 4 || this.signal.aborted) throw err;
          await new Promise((res) => setTimeout(res, 300 * 2 ** tryNo));
        }
      }
      await rename(tmp, path);
    } finally {
      await rm(tmp, { force: true });
    }
    await this.trim();
    return path;
  }

  private async trim(): Promise<void> {
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((n) => !n.includes('.part-'));
    if (names.length <= this.maxFiles) return;
    const withTimes = await Promise.all(names.map(async (n) => ({ n, t: await stat(join(this.dir, n)).then((s) => s.mtimeMs, () => 0) })));
    withTimes.sort((a, b) => a.t - b.t);
    for (const { n } of withTimes.slice(0, names.length - this.maxFiles)) await rm(join(this.dir, n), { force: true });
  }
}
