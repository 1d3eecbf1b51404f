/**
 * A protocol-exact fake of HeyGem's lip-sync video container (docs/protocol.md):
 * pretty-printed JSON sent as text/html, codes 10000/10001/10002/10004/9999, one HTTP request
 * at a time, one job at a time (a submit while busy is refused and dropped), status 1/2/3 with
 * progress jumps 0/10/20/90/100, `result` filled at 90 while still running, the final answer
 * returned once and then forgotten, a result file that keeps growing for a moment after status
 * 2, its own failure of a job with no result after `serverTimeoutMs` (~600 s), an in-memory job
 * table that `restart()` wipes.
 *
 * Real behaviour the gateway must cope with, on demand: render times drawn from a distribution
 * that is not proportional to speech (`renderTime`, seeded), progress that sits at 20 for the
 * whole render (`progress: 'flat'`), a hung job (`hang`), a server that stops answering
 * (`frozen`), renders that fail at random (`failRate`) or by job code (`failCodes`). The result
 * is a real MP4 (ffmpeg muxes the submitted face video and audio). A face that is not H.264
 * yuv420p fails the job, as the real container cannot read it well either. `spoil` makes every
 * result come back black, frozen, silent or drifting, as from a GPU gone bad (docs/checks.md).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFile, copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseWavHeader } from '../media/wav.js';
import { preparedResultFile, type PreparedResultsSpec } from './prepared-results.js';
import { sampleRenderMs, type RenderTimeModel } from './render-time.js';
import { seededRandom, startSerialServer, type SerialServer } from './serial-server.js';

const run = promisify(execFile);

/**
 * How progress moves while status is 1. `stages` (default): 0 → 10 → 20, sits at 20, 90 with
 * `result` named at 90 % of the render, 100 at done — what real containers report. `flat`: sits
 * at 20 until done, no hint at all. `moving`: 20 → 80 in steps through the render, then 90.
 */
export type FakeProgressMode = 'stages' | 'flat' | 'moving';

export interface FakeVideoOptions {
  dataDir: string;
  containerDataDir?: string;
  /** Mean render time (the `fixed` model's only value). */
  renderMs?: number;
  /** Distribution of render times; default fixed at `renderMs`. */
  renderTime?: RenderTimeModel;
  progress?: FakeProgressMode;
  failRate?: number;
  /**
   * Deterministic fault: a job whose code matches fails at the end of its render with the
   * container's own render-failure message, status 3 (like a `failRate` hit, but chosen by code,
   * so a test can fail exactly one task — every attempt of it — and nothing else).
   */
  failCodes?: (code: string) => boolean;
  seed?: number;
  growMs?: number;
  /** Jobs stay "running" at progress 20 forever (the container needs a restart). */
  hang?: boolean;
  /** The server stops answering: every request from now on gets no reply (until close). */
  frozen?: boolean;
  startupDelayMs?: number;
  serverTimeoutMs?: number;
  latencyMs?: number;
  /**
   * How a job's result is made: `ffmpeg` (default) muxes the submitted face and speech; `copy`
   * copies the face as is; `prepared` copies a pre-encoded result of the speech's length
   * (prepared-results.ts, `prepared`) and spawns nothing — the lightweight farm of the scale
   * benchmark, where 48 fakes' encoders would otherwise starve the gateway being measured.
   */
  produceResult?: 'ffmpeg' | 'copy' | 'prepared';
  /** The pre-encoded results of `produceResult: 'prepared'` (made by prepareResults). */
  prepared?: PreparedResultsSpec;
  /**
   * A lip-sync container muxes its own frames, so its result is rarely exactly as long as the
   * speech. With this set, each result's video has `round(speech × fps) + k` frames (the sound
   * stays the whole speech), k drawn uniformly from the list (seeded, its own random stream, so
   * other draws of a seeded run do not shift). E.g. `[-2, -1, 1, 2, 3, 4, 5]`.
   */
  lengthErrorFrames?: number[];
  /** Deterministic length fault by job code: seconds added to (or, negative, cut from) the video. */
  lengthErrorSec?: (code: string) => number;
  /**
   * A job whose code matches is not finished while this says so (checked again every 20 ms):
   * lets a test hold the later parts of a script back and look at it half rendered.
   */
  hold?: (code: string) => boolean;
  /**
   * A GPU that renders badly (docs/checks.md): every result of this container comes back
   * spoiled — `black` (every frame black), `frozen` (the first frame held), `silent` (the sound
   * muted) or `drift` (the video 1.5 s shorter than its sound). The job itself succeeds, as
   * with a real container whose GPU or model went wrong.
   */
  spoil?: FakeSpoil | null;
}

export type FakeSpoil = 'black' | 'frozen' | 'silent' | 'drift';

/** Seconds a `drift` result's video is shorter than its speech. */
export const SPOIL_DRIFT_SEC = 1.5;

const X264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

/** ffmpeg arguments turning a good result into a spoiled one (drift is made by the cut itself). */
export function spoilArgs(kind: Exclude<FakeSpoil, 'drift'>, input: string, out: string, frames: number): string[] {
  const edit =
    kind === 'black'
      ? ['-vf', 'drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill', ...X264, '-c:a', 'copy']
      : kind === 'frozen'
        ? ['-vf', `trim=end_frame=1,tpad=stop_mode=clone:stop=${Math.max(0, frames - 1)}`, ...X264, '-c:a', 'copy']
        : ['-c:v', 'copy', '-af', 'volume=0', '-c:a', 'aac'];
  return ['-v', 'error', '-y', '-i', input, '-map', '0:v:0', '-map', '0:a:0', ...edit, '-movflags', '+faststart', '-f', 'mp4', out];
}

interface Job {
  code: string;
  renderMs: number;
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
  /** Render time drawn for this job (the job may end later if producing its file takes longer). */
  renderMs: number;
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
  /**
   * `settling`: codes of ended jobs whose files the fake is still writing or removing (the rest
   * of a growing result, its scratch) — a test looking at the data dir waits for none.
   */
  stats(): { submits: number; busyRefusals: number; queries: number; jobs: Array<{ code: string; status: number }>; settling: string[]; history: JobRecord[]; resultSha256: Record<string, string>; lengthErrors: Record<string, number>; inputs: Array<{ code: string; video_url: string; audio_url: string }> };
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
  const resultSha256: Record<string, string> = {};
  /** Frames each job's result video was made longer (+) or shorter (−) than its speech. */
  const lengthErrors: Record<string, number> = {};
  /** What each accepted submit named (the tests count face copies by it). */
  const inputs: Array<{ code: string; video_url: string; audio_url: string }> = [];
  /** Ended jobs with file work still to do (by job, not code: a code may be submitted again). */
  const settling = new Set<Job>();
  let random = seededRandom(o.seed ?? 1);
  let lengthRandom = seededRandom((o.seed ?? 1) ^ 0x5eed);
  let generation = 0; // bumped by restart(): work of a forgotten job must not land

  const resolveInput = (p: string): string | null => {
    const mount = o.containerDataDir!;
    if (p.startsWith(mount + '/')) return join(o.dataDir, p.slice(mount.length + 1));
    if (!p.includes('/')) return join(temp, p);
    return null; // a host path means nothing inside the container
  };

  /** Frames the result's video is off its speech (0 unless a length error is configured). */
  const lengthError = (code: string, fps: number): number => {
    const list = o.lengthErrorFrames ?? [];
    const drawn = list.length ? list[Math.floor(lengthRandom() * list.length)] : 0;
    const frames = drawn + Math.round((o.lengthErrorSec?.(code) ?? 0) * fps);
    lengthErrors[code] = frames;
    return frames;
  };

  const produce = async (code: string, video: string, audio: string, out: string): Promise<void> => {
    if (o.produceResult === 'copy') return void (await copyFile(video, out));
    if (o.produceResult === 'prepared' && o.prepared) {
      const file = preparedResultFile(o.prepared, await speechSeconds(audio));
      if (file) return void (await copyFile(file, out));
    }
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', audio]);
    const speechSec = Number(stdout.trim());
    // The real container decodes faces with OpenCV's bundled decoder: H.264 8-bit 4:2:0 is what
    // HeyGem's own client hands it (it re-encodes every face first); refuse anything else.
    const probe = JSON.parse((await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,pix_fmt,r_frame_rate', '-of', 'json', video])).stdout) as { streams?: Array<Record<string, string>> };
    const { codec_name: codec, pix_fmt: pix, r_frame_rate: rate = '25/1' } = probe.streams?.[0] ?? {};
    if (codec !== 'h264' || (pix !== 'yuv420p' && pix !== 'yuvj420p')) throw new Error(`cannot read the face video (${codec} ${pix})`);
    // The video alone is as long as the container chose — its speech in whole frames, unless a
    // length error is configured; the sound is the whole speech (its own pass: `-frames:v` ends
    // every stream of an output).
    const [num, den] = rate.split('/').map(Number);
    const fps = den ? num / den : num || 25;
    const face = `${out}.face.mp4`;
    const spoil = o.spoil ?? null;
    const drift = spoil === 'drift' ? -Math.round(SPOIL_DRIFT_SEC * fps) : 0;
    const frames = String(Math.max(1, Math.round(speechSec * fps) + lengthError(code, fps) + drift));
    const cut = (videoCodec: string[]) => run('ffmpeg', ['-v', 'error', '-y', '-stream_loop', '-1', '-i', video, '-map', '0:v:0', ...videoCodec, '-frames:v', frames, '-f', 'mp4', face]);
    const args = (videoCodec: string[]) => [
      '-v', 'error', '-y', '-i', face, '-i', audio,
      '-map', '0:v:0', '-map', '1:a:0', ...videoCodec, '-c:a', 'aac', '-movflags', '+faststart', '-f', 'mp4', out,
    ];
    // Stream-copy the face (cheap: the fake must not eat the CPU the gateway is measured on);
    // re-encode only when the input codec cannot go into MP4 as is.
    const good = spoil && spoil !== 'drift' ? `${out}.good.mp4` : out;
    try {
      await cut(['-c:v', 'copy']).catch(() => cut(X264));
      await run('ffmpeg', [...args(['-c:v', 'copy']).slice(0, -1), good]).catch(() => run('ffmpeg', [...args(X264).slice(0, -1), good]));
      if (spoil && spoil !== 'drift') await run('ffmpeg', spoilArgs(spoil, good, out, Number(frames)));
    } finally {
      await rm(face, { force: true });
      if (good !== out) await rm(good, { force: true });
    }
  };

  /** Speech seconds of a submitted WAV (only the proportional model needs it). */
  const speechSeconds = async (audioPath: string | null): Promise<number> => {
    if (!audioPath) return 0;
    const info = parseWavHeader(await readFile(audioPath).catch(() => Buffer.alloc(0)));
    return info?.durationSec ?? 0;
  };

  const startJob = (code: string, videoPath: string | null, audioPath: string | null): void => {
    const job: Job = { code, renderMs: 0, submittedAt: Date.now(), doneAt: null, status: 1, progress: 0, msg: '', result: '', timers: [] };
    jobs.set(code, job);
    const gen = generation;
    const alive = () => gen === generation && jobs.get(code) === job;
    const work = join(o.dataDir, '.fake-work');
    const staged = join(work, `${code}.mp4`);
    const ready = (async () => {
      if (!videoPath || !audioPath) throw new Error('file not found');
      await Promise.all([stat(videoPath), stat(audioPath)]);
      await mkdir(work, { recursive: true });
      await produce(code, videoPath, audioPath, staged);
    })();
    ready.catch(() => undefined);
    const fail = (msg: string) => {
      if (!alive() || job.status !== 1) return;
      job.status = 3;
      job.msg = msg;
      job.doneAt = Date.now();
      // A failed job leaves none of the fake's own scratch behind (once it is written): what a
      // test finds of a task in the container's dir must be what the gateway left there.
      settling.add(job);
      void ready
        .then(() => undefined, () => undefined)
        .then(() => rm(staged, { force: true }))
        .finally(() => settling.delete(job));
    };
    // Times are relative to the submit, even when scheduling waited for the speech length.
    const at = (ms: number, fn: () => void) => job.timers.push(setTimeout(() => alive() && fn(), Math.max(0, job.submittedAt + ms - Date.now())));
    const schedule = (renderMs: number) => {
      job.renderMs = renderMs;
      const mode = o.progress ?? 'stages';
      at(Math.min(50, renderMs * 0.05), () => (job.progress = 10));
      at(renderMs * 0.1, () => (job.progress = 20));
      if (o.hang) return; // wedged: not even the server's own time limit fires
      at(o.serverTimeoutMs!, () => fail('任务超时 (no result)'));
      if (mode === 'moving') for (let p = 30; p <= 80; p += 10) at((renderMs * (p - 10)) / 80, () => (job.progress = p));
      if (mode !== 'flat') {
        at(renderMs * 0.9, () => {
          job.progress = 90;
          job.result = `/${code}-r.mp4`; // named before the job is done: decide on status only
        });
      }
      const finish = (): void => {
        if (o.hold?.(code)) return void job.timers.push(setTimeout(() => alive() && finish(), 20));
        // failRate is drawn first, so setting failCodes never shifts a seeded run's draws.
        if ((o.failRate && random() < o.failRate) || o.failCodes?.(code)) return fail('视频合成失败 (render failed)');
        ready.then(
          async () => {
            if (!alive()) return;
            const bytes = await readFile(staged);
            resultSha256[code] = createHash('sha256').update(bytes).digest('hex'); // tests compare what reached the gateway
            const out = join(temp, `${code}-r.mp4`);
            // Half the file now, the rest a moment later: "done" before the file is complete.
            const half = Math.floor(bytes.length / 2);
            await writeFile(out, bytes.subarray(0, half));
            if (!alive()) return;
            job.status = 2;
            job.doneAt = Date.now();
            job.progress = 100;
            job.msg = '成功';
            job.result = `/${code}-r.mp4`;
            settling.add(job);
            const grow = () => appendFile(out, bytes.subarray(half)).then(() => rm(staged, { force: true }));
            job.timers.push(setTimeout(() => void grow().finally(() => settling.delete(job)), o.growMs));
          },
          (err: Error) => fail(`文件不存在 (${err.message})`),
        );
      };
      at(renderMs, finish);
    };
    const model = o.renderTime ?? { kind: 'fixed' };
    const draw = (speechSec: number) => sampleRenderMs(model, o.renderMs!, speechSec, random, o.serverTimeoutMs! * 2);
    if (model.kind === 'proportional' || model.kind === 'scaled') void speechSeconds(audioPath).then((sec) => alive() && schedule(draw(sec)));
    else schedule(draw(0));
  };

  const handle = async (req: import('node:http').IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> => {
    if (o.frozen) return new Promise<void>(() => undefined); // a wedged server: no reply, ever
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
      inputs.push({ code: String(p!.code), video_url: String(p!.video_url), audio_url: String(p!.audio_url) });
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
        history.push({ code, renderMs: job.renderMs, submittedAt: job.submittedAt, doneAt: job.doneAt, reportedAt: Date.now(), status: job.status });
      }
      return reply(res, 10000, '成功', data);
    }
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html><body><h1>404 Not Found</h1></body></html>');
  };

  const server: SerialServer = await startSerialServer(handle, { port: opts.port, host: opts.host, startupDelayMs: o.startupDelayMs });
  const forget = () => {
    generation += 1;
    for (const j of jobs.values()) {
      j.timers.forEach(clearTimeout);
      if (j.status === 2) settling.delete(j); // the rest of its result was dropped with its timers
    }
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
    stats: () => ({ ...counters, jobs: [...jobs.values()].map((j) => ({ code: j.code, status: j.status })), settling: [...settling].map((j) => j.code), history: [...history], resultSha256: { ...resultSha256 }, lengthErrors: { ...lengthErrors }, inputs: [...inputs] }),
    setOptions: (p) => {
      Object.assign(o, p);
      if (p.seed !== undefined) {
        random = seededRandom(p.seed);
        lengthRandom = seededRandom(p.seed ^ 0x5eed);
      }
    },
  };
}
