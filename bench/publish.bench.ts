/**
 * Publishing throughput and memory: one file uploaded to the local Vimeo (tus) and S3
 * (SigV4-checked) fakes, which run in a child process. Reports MB/s and the uploader
 * process's peak RSS growth, which should stay near chunk/part size, not file size.
 * Run alone: npx tsx bench/publish.bench.ts [--quick]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { S3Uploader } from '../src/publish/s3.uploader.js';
import type { UploadJob, Uploader } from '../src/publish/uploader.js';
import { VimeoUploader } from '../src/publish/vimeo.uploader.js';

const MiB = 1024 * 1024;

async function writeFile(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  for (let left = bytes; left > 0; left -= MiB) if (!out.write(randomBytes(Math.min(MiB, left)))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

async function measure(name: string, up: Uploader, file: string, size: number): Promise<Record<string, number | string>> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const job: UploadJob = { taskId: `bench_${name}`, filePath: file, size, text: 'bench', finishedAt: Date.now(), resume: null, saveResume: async () => {}, signal: AbortSignal.timeout(300_000) };
  const t = performance.now();
  await up.upload(job);
  const s = (performance.now() - t) / 1000;
  clearInterval(sampler);
  return { target: name, file_mib: size / MiB, seconds: Math.round(s * 100) / 100, mib_per_s: Math.round((size / MiB / s) * 10) / 10, peak_rss_growth_mib: Math.round(((peak - base) / MiB) * 10) / 10 };
}

export async function runPublishBench(opts: { quick?: boolean } = {}): Promise<Array<Record<string, number | string>>> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./lib/publish-fakes.ts', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const [line] = (await once(child.stdout!, 'data')) as [Buffer];
    const f = JSON.parse(line.toString()) as Record<string, string>;
    const dir = mkdtempSync(join(tmpdir(), 'hg-publish-bench-'));
    const rows = [];
    try {
      for (const size of opts.quick ? [8 * MiB] : [16 * MiB, 128 * MiB]) {
        const file = join(dir, `v${size}.mp4`);
        await writeFile(file, size);
        const vimeo = new VimeoUploader({ apiUrl: f.vimeo, nameTemplate: '{task_id}', descriptionTemplate: '', privacy: 'nobody', chunkBytes: 8 * MiB, requestTimeoutMs: 120_000 }, { kind: 'vimeo', accessToken: f.token });
        const s3 = new S3Uploader(
          { bucket: f.bucket, prefix: '', keyTemplate: '{task_id}.mp4', region: f.region, endpoint: f.s3, forcePathStyle: true, presignExpiresSec: 0, partSizeBytes: 8 * MiB, requestTimeoutMs: 120_000 },
          { kind: 's3', accessKeyId: f.accessKeyId, secretAccessKey: f.secretAccessKey },
        );
        rows.push(await measure('vimeo (tus, 8 MiB chunks)', vimeo, file, size));
        rows.push(await measure('s3 (8 MiB parts)', s3, file, size));
        s3.close();
        rmSync(file);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return rows;
  } finally {
    child.stdin!.end();
    child.kill();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await runPublishBench({ quick: process.argv.includes('--quick') });
  console.table(rows);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/publish.json', JSON.stringify(rows, null, 2));
}
