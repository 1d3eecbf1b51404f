/**
 * A protocol-exact fake of HeyGem's lip-sync video container (docs/protocol.md): pretty-printed JSON
 * sent as text/html, codes 10000/10001/10002/10004/9999, one job at a time (a submit while busy
 * is refused and dropped), status 1/2/3 with progress jumps 0/10/20/90/100, `result` filled at
 * 90 while still running, the final answer returned once and then forgotten, a result file that
 * keeps growing for a moment after status 2, an in-memory job table that `restart()` wipes.
 * The result is a real MP4 (ffmpeg muxes the submitted face video and audio).
 */
import { execFile } from 'node:child_process';
import { appendFile, copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { seededRandom, startSerialServer, type SerialServer } from './serial-server.js';

const run = promisify(execFile);

export interface FakeVideoOptions {
  dataDir: string;
  containerDataDir?: string;
  renderMs?: number;
  failRate?: number;
  seed?: number;
  growMs?: number;
  hang?: boolean;
  startupDelayMs?: number;
  serverTimeoutMs?: number;
  latencyMs?: number;
  produceResult?: 'ffmpeg' | 'copy';
}

interface Job {
  code: string;
  submittedAt: number;
  doneAt: number | null;
  status: 1 | 2 | 3;
  progress: number;
  msg: string;
  result: string;
  timers: NodeJS.Timeout[];
}

/** When each job ran: lets benchmarks measure how long the GPU sat idle between jobs. */
export interface JobRecord {
  code: string;
  submittedAt: number;
  doneAt: number | null;
  reportedAt: number | null;
  status: number;
}

export interface FakeVideoContainer {
  url: string;
  port: number;
  close(): Promise<void>;
  restart(): Promise<void>;
  stats(): { submits: number; busyRefusals: number; queries: number; jobs: Array<{ code: string; status: number }>; history: JobRecord[] };
  setOptions(p: Partial<FakeVideoOptions>): void;
}

function reply(res: ServerResponse, code: number, msg: string, data: unknown = null): void {
  // The real server pretty-prints and labels JSON as HTML.
  const body = JSON.stringify({ code, success: code === 10000, msg, data }, null, 4);
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(body);
}

export async function startFakeVideoContainer(opts: FakeVideoOptions & { port?: number; host?: string }): Promise<FakeVideoContainer> {
  const o: FakeVideoOptions = { renderMs: 3000, growMs: 300, containerDataDir: '/code/data', produceResult: 'ffmpeg', serverTimeoutMs: 600_000, ...opts };
  const temp = join(o.dataDir, 'temp');
  await mkdir(temp, { recursive: true });
  const jobs = new Map<string, Job>();
  const counters = { submits: 0, busyRefusals: 0, queries: 0 };
  const history: JobRecord[] = [];
  let random = seededRandom(o.seed ?? 1);
  let generation = 0; // bumped by restart(): work of a forgotten job must not land

  const resolveInput = (p: string): string | null => {
    const mount = o.containerDataDir!;
    if (p.startsWith(mount + '/')) return join(o.dataDir, p.slice(mount.length + 1));
    if (!p.includes('/')) return join(temp, p);
    return null; // a host path means nothing inside the container
  };

  const produce = async (code: string, video: string, audio: string, out: string): Promise<void> => {
    if (o.produceResult === 'copy') return void (await copyFile(video, out));
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', audio]);
    const args = (videoCodec: string[]) => [
      '-v', 'error', '-y', '-stream_loop', '-1', '-i', video, '-i', audio, '-t', String(Number(stdout.trim())),
      '-map', '0:v:0', '-map', '1:a:0', ...videoCodec, '-c:a', 'aac', '-movflags', '+faststart', '-f', 'mp4', out,
    ];
    // Stream-copy the face (cheap: the fake must not eat the CPU the gateway is measured on);
    // re-encode only when the input codec cannot go into MP4 as is.
    await run('ffmpeg', args(['-c:v', 'copy'])).catch(() => run('ffmpeg', args(['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'])));
  };

  const startJob = (code: string, videoPath: string | null, audioPath: string | null): void => {
    const job: Job = { code, submittedAt: Date.now(), doneAt: null, status: 1, progress: 0, msg: '', result: '', timers: [] };
    jobs.set(code, job);
    const gen = generation;
    const alive = () => gen === generation && jobs.get(code) === job;
    const fail = (msg: string) => {
      if (!alive() || job.status !== 1) return;
      job.status = 3;
      job.msg = msg;
      job.doneAt = Date.now();
    };
    const renderMs = o.renderMs!;
    const work = join(o.dataDir, '.fake-work');
    const staged = join(work, `${code}.mp4`);
    const ready = (async () => {
      if (!videoPath || !audioPath) throw new Error('file not found');
      await Promise.all([stat(videoPath), stat(audioPath)]);
      await mkdir(work, { recursive: true });
      await produce(code, videoPath, audioPath, staged);
    })();
    ready.catch(() => undefined);
    const at = (ms: number, fn: () => void) => job.timers.push(setTimeout(() => alive() && fn(), ms));
    at(Math.min(50, renderMs * 0.05), () => (job.progress = 10));
    at(renderMs * 0.1, () => (job.progress = 20));
    if (o.hang) return;
    at(renderMs * 0.9, () => {
      job.progress = 90;
      job.result = `/${code}-r.mp4`; // named before the job is done: decide on status only
    });
    at(o.serverTimeoutMs!, () => fail('任务超时 (no result)'));
    at(renderMs, () => {
      if (o.failRate && random() < o.failRate) return fail('视频合成失败 (render failed)');
      ready.then(
        async () => {
          if (!alive()) return;
          const bytes = await readFile(staged);
          const out = join(temp, `${code}-r.mp4`);
          // Half the file now, the rest a moment later: "done" before the file is complete.
          const half = Math.floor(bytes.length / 2);
          await writeFile(out, bytes.subarray(0, half));
          job.status = 2;
          job.doneAt = Date.now();
          job.progress = 100;
          job.msg = '成功';
          job.result = `/${code}-r.mp4`;
          job.timers.push(setTimeout(() => void appendFile(out, bytes.subarray(half)).then(() => rm(staged, { force: true })), o.growMs));
        },
        (err: Error) => fail(`文件不存在 (${err.message})`),
      );
    });
  };

  const handle = async (req: import('node:http').IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> => {
    if (o.latencyMs) await new Promise((r) => setTimeout(r, o.latencyMs));
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'POST' && url.pathname === '/easy/submit') {
      const p = JSON.parse(body.toString('utf8') || 'null') as Record<string, unknown> | null; // throws → HTTP 500 page
      for (const key of ['audio_url', 'video_url', 'code']) {
        if (!p || typeof p[key] !== 'string' || p[key] === '') return reply(res, 10002, `${key}参数缺失`);
      }
      if ([...jobs.values()].some((j) => j.status === 1)) {
        counters.busyRefusals += 1;
        return reply(res, 10001, '忙碌中'); // dropped, never queued
      }
      counters.submits += 1;
      startJob(String(p!.code), resolveInput(String(p!.video_url)), resolveInput(String(p!.audio_url)));
      return reply(res, 10000, '成功');
    }
    if (req.method === 'GET' && url.pathname === '/easy/query') {
      counters.queries += 1;
      const code = url.searchParams.get('code');
      if (!code) return reply(res, 10002, 'code参数缺失');
      const job = jobs.get(code);
      if (!job) return reply(res, 10004, '任务不存在');
      const data = { code: job.code, status: job.status, progress: job.progress, msg: job.msg, result: job.result };
      if (job.status !== 1) {
        jobs.delete(code); // the final answer is given once
        history.push({ code, submittedAt: job.submittedAt, doneAt: job.doneAt, reportedAt: Date.now(), status: job.status });
      }
      return reply(res, 10000, '成功', data);
    }
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html><body><h1>404 Not Found</h1></body></html>');
  };

  const server: SerialServer = await startSerialServer(handle, { port: opts.port, host: opts.host, startupDelayMs: o.startupDelayMs });
  const forget = () => {
    generation += 1;
    for (const j of jobs.values()) j.timers.forEach(clearTimeout);
    jobs.clear();
  };
  return {
    url: server.url,
    port: server.port,
    close: async () => {
      forget();
      await server.close();
    },
    restart: async () => forget(),
    stats: () => ({ ...counters, jobs: [...jobs.values()].map((j) => ({ code: j.code, status: j.status })), history: [...history] }),
    setOptions: (p) => {
      Object.assign(o, p);
      if (p.seed !== undefined) random = seededRandom(p.seed);
    },
  };
}
