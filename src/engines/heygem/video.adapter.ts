/**
 * VideoEngine for HeyGem's lip-sync container (protocol: docs/protocol.md).
 *
 * submit: audio and face video are hard-linked (or copied) into `<videoDataDir>/temp/` under
 * names derived from the task id (unique per task) and sent as bare file names, as HeyGem's own
 * client does.
 * follow: /easy/query every `pollIntervalMs` at most (faster near the expected finish), woken at
 * once when the result file appears; the first final answer is the only one the container ever
 * gives, so the caller persists it at once (onCollecting / result). Hangs are judged by liveness
 * against the expected render time, not by progress (docs/performance.md). 10004 for a job we
 * submitted means "look for <temp>/<code>-r.mp4", and only then "lost".
 * collect: verify the MP4 (it may still be growing after status 2), copy it atomically to the
 * output path, remove every per-task file from the container's dir.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { abortKind } from '../../domain/abort.js';
import { TaskError } from '../../domain/errors.js';
import { needsTranscode } from '../../media/ffmpeg.args.js';
import { sha256File } from '../../media/file-hash.js';
import type { Media } from '../../media/media.js';
import type { RenderRequest, RenderResult, VideoEngine } from '../ports.js';
import { readJson, request, withTimeout } from './http-json.js';
import { Handover } from './handover.js';
import { containerFinishedAt, judgeRender, nextPollDelay, renderCapMs, RenderPaceEstimator, type HangLimits } from './render-timing.js';
import { ResultFileSignal } from './result-file-signal.js';
import { sharedInputName, stageInput, stageShared } from './stage-input.js';
import { isVideoReply, readQuery, renderFailureBlamesInput, resultHostPath, submitBody, VIDEO_CODES, type QueryOutcome, type VideoReply } from './video-protocol.js';

export interface HeygemVideoOptions {
  url: string;
  hostDataDir: string;
  containerDataDir: string;
  media: Media;
  /** Longest gap between two queries of a running job. */
  pollIntervalMs: number;
  /** Gap once the finish is near (expected, result named, or result file seen). */
  minPollIntervalMs: number;
  requestTimeoutMs: number;
  /** Cap on one render (of up to renderTimeoutMs / renderTimeoutPerSpeechSecMs seconds of speech). */
  renderTimeoutMs: number;
  /** The cap grows by this much per second of speech asked for (render-timing.ts). */
  renderTimeoutPerSpeechSecMs?: number;
  /** A render is hung after hangFactor × its expected time (at least hangMinMs). */
  hangFactor: number;
  hangMinMs: number;
  /** Expected render seconds per speech second before this container has history. */
  defaultRenderSecPerSpeechSec: number;
  /** Wake the poll loop when `<temp>/<code>-r.mp4` appears (fs.watch, stat fallback). */
  watchResultFile: boolean;
  verifyTimeoutMs: number;
  healthTimeoutMs: number;
}

/** Look at a result that is still being written this often (a stat(): no process spawned). */
const VERIFY_STEP_MS = 25;
/**
 * A result that failed its check is checked again only once its size and time stayed the same
 * this long. Containers keep writing for up to seconds after "done"; a check spawns ffprobe (a
 * fork of this process plus a parse, tens of ms of CPU on a loaded host), and re-checking every
 * step cost 10–20 spawns per task, on the loop every slot's hand-over shares.
 */
const SETTLE_MS = 150;
/**
 * Longest a finished result waits for the container's next submit before it is verified
 * (handover.ts): long enough for a hand-over on a loaded host, short next to any render.
 */
const HANDOVER_MAX_MS = 100;

/** The container-side names of a render's inputs; `staged`: the face is in temp/ already. */
interface InputNames {
  audio: string;
  video: string;
  /** Named by content hash and kept for later renders (never removed with the task). */
  shared: boolean;
  staged: boolean;
}

export class HeygemVideoEngine implements VideoEngine {
  readonly kind = 'heygem';
  /** Faces transcoded by this engine (tests and logs), and those in progress, by name. */
  transcodes = 0;
  private readonly transcoding = new Map<string, Promise<void>>();
  /** Face file version → whether it needs re-encoding (faceNeedsTranscode). */
  private readonly faceChecks = new Map<string, Promise<boolean>>();
  private readonly pace = new RenderPaceEstimator();
  private readonly handover = new Handover();
  /**
   * A job we gave up on (far over its expected time) that the container may still be running:
   * it cannot be stopped, so until it ends the container refuses work. While it still runs,
   * renders fail fast as busy and the health probe reports the slot down (circuit breaker).
   */
  private stuckCode: string | null = null;
  constructor(private readonly opts: HeygemVideoOptions) {}

  private get tempDir(): string {
    return join(this.opts.hostDataDir, 'temp');
  }

  private inputNames(code: string, videoPath: string, videoKey?: string): InputNames {
    const ext = extname(videoPath).toLowerCase() || '.mp4';
    return { audio: `${code}.wav`, video: videoKey ? sharedInputName(videoKey, ext) : `${code}${ext}`, shared: !!videoKey, staged: false };
  }

  /**
   * Whether a face needs re-encoding, probed once per file version (path, size, mtime): the
   * slot's default face and library faces are probed once per process, not before every render
   * (an ffprobe spawn right after the lane was handed over was most of the gap between renders).
   */
  private faceNeedsTranscode(path: string): Promise<boolean> {
    return stat(path).then(
      (st) => {
        const key = `${path}\0${st.size}\0${st.mtimeMs}`;
        let known = this.faceChecks.get(key);
        if (!known) {
          // a failed probe (canceled, or a passing fault) is not remembered: the next render asks again
          // not tied to one task's signal: another task may be waiting for the same answer
          known = this.opts.media.probe(path).then(
            (p) => !!p?.hasVideo && needsTranscode(p),
            () => {
              this.faceChecks.delete(key);
              return false;
            },
          );
          if (this.faceChecks.size >= 256) this.faceChecks.delete(this.faceChecks.keys().next().value!);
          this.faceChecks.set(key, known);
        }
        return known;
      },
      () => false, // missing: the submit reports it
    );
  }

  async prepareFace(videoPath: string, signal: AbortSignal): Promise<void> {
    if (!signal.aborted) await this.faceNeedsTranscode(videoPath);
  }

  /**
   * A face the container cannot read well (HEVC, VP9, 10-bit, odd sizes or containers): HeyGem's
   * own client re-encodes every face to H.264 yuv420p first. Done here once per content hash,
   * into the container's temp dir as `face-<sha256>.mp4`, reused by every later render of the same
   * upload (file retention removes copies unused for a day). Null: the face is fine as it is.
   */
  private async readableFace(path: string, signal: AbortSignal): Promise<string | null> {
    if (!(await this.faceNeedsTranscode(path))) return null;
    const name = `face-${await sha256File(path)}.mp4`;
    const dest = join(this.tempDir, name);
    if (await stat(dest).then((s) => s.size > 0, () => false)) {
      const now = new Date();
      await utimes(dest, now, now).catch(() => undefined);
      return name;
    }
    let p = this.transcoding.get(name);
    if (!p) {
      p = mkdir(this.tempDir, { recursive: true })
        .then(() => this.opts.media.transcodeFace(path, dest))
        .then(() => void (this.transcodes += 1))
        .finally(() => this.transcoding.delete(name));
      this.transcoding.set(name, p);
    }
    await p;
    return name;
  }

  async render(req: RenderRequest): Promise<RenderResult> {
    const readable = req.videoKey ? null : await this.readableFace(req.videoPath, req.signal);
    const names = readable ? { audio: `${req.code}.wav`, video: readable, shared: true, staged: true } : this.inputNames(req.code, req.videoPath, req.videoKey);
    if (await this.stillStuck(req.signal)) {
      throw new TaskError('engine_busy', `Video container is still stuck on job ${this.stuckCode} (far over its expected time); restart it`, { retryable: true });
    }
    try {
      let outcome: QueryOutcome | null = null;
      if (req.resume) {
        outcome = await this.query(req.code, req.signal);
        if (outcome.kind === 'unknown') outcome = (await this.findResultFile(req.code)) ? { kind: 'done', progress: 100, result: `/${req.code}-r.mp4`, data: {} } : null;
        // Crashed after the result was copied out and the container's files removed, but before
        // the task was marked completed: the output is already here — don't render it again.
        if (!outcome) {
          const kept = await this.verifiedOutput(req);
          if (kept) return kept;
        }
      }
      // Render time counts from the accepted submit; a resumed job's start is unknown, so it is
      // followed from now and not learned from.
      let submittedAt: number | null = null;
      if (!outcome) {
        await this.submit(req, names);
        submittedAt = Date.now();
        outcome = { kind: 'running', progress: 0, result: null };
      }
      const final = outcome.kind === 'running' ? await this.followOrDrain(req, submittedAt) : outcome;
      return await this.collect(req, final);
    } finally {
      // On shutdown the job lives on in the container and the next start re-attaches to it:
      // its inputs and result must stay. Every other ending removes the per-task files.
      const kind = abortKind(req.signal);
      // Canceled (or lost) around the job's end — while draining it, or while collecting — the
      // result may still be growing. Removed now, the container's last write re-creates it after
      // our clean-up and it stays in temp/ for good, so let it complete first.
      if (kind === 'cancel' || kind === 'lost') await this.settled(req);
      if (kind !== 'shutdown') {
        // A library face (content-hash name) stays for the next task that uses it.
        const own = [names.audio, `${req.code}-r.mp4`, ...(names.shared ? [] : [names.video])];
        await Promise.all(own.map((n) => rm(join(this.tempDir, n), { force: true })));
      }
    }
  }

  private async submit(req: RenderRequest, names: InputNames): Promise<void> {
    const face = names.staged ? Promise.resolve() : names.shared ? stageShared(req.videoPath, this.tempDir, names.video) : stageInput(req.videoPath, this.tempDir, names.video);
    await Promise.all([stageInput(req.audioPath, this.tempDir, names.audio), face]);
    // Not aborted by a cancel: a submit cut off after the container took it would leave a job
    // running that nobody follows or drains. It is short (bounded by requestTimeoutMs); a cancel
    // meanwhile is seen right after it, by followOrDrain, which drains an accepted job.
    if (req.signal.aborted) throw new TaskError('canceled', 'Task was canceled');
    const reply = await this.call('/easy/submit', { method: 'POST', body: JSON.stringify(submitBody(req.code, names.audio, names.video)) }, new AbortController().signal).finally(() => this.handover.submitted());
    if (reply.code === VIDEO_CODES.OK) {
      req.onSubmitted?.();
      return;
    }
    if (reply.code === VIDEO_CODES.BUSY) throw new TaskError('engine_busy', 'Video container is busy with another job', { retryable: true });
    // 10002 means our request was malformed: retrying the same request cannot help.
    throw new TaskError('render_failed', `Video container refused the job (${reply.code}: ${reply.msg ?? ''})`, { retryable: reply.code !== VIDEO_CODES.BAD_PARAM });
  }

  /**
   * The container has no cancel: a job it accepted keeps its GPU until it ends, and a submit
   * meanwhile would be refused as busy. So a cancel after submission — or an attempt that lost
   * its lease (canceled on another node, or reaped) — keeps the slot's video lane (this call
   * does not return) until the container reports the job final, bounded by the render timeout,
   * and only then reports the end. A shutdown leaves the job to be re-attached instead.
   */
  private async followOrDrain(req: RenderRequest, submittedAt: number | null): Promise<QueryOutcome> {
    try {
      return await this.follow(req, submittedAt);
    } catch (err) {
      const kind = abortKind(req.signal);
      if (!(err instanceof TaskError && err.code === 'canceled') || (kind !== 'cancel' && kind !== 'lost')) throw err;
      const deadline = Date.now() + renderCapMs(this.hangLimits, req.audioDurationSec);
      const never = new AbortController().signal;
      while (Date.now() < deadline) {
        const o = await this.query(req.code, never).catch(() => ({ kind: 'unknown' }) as QueryOutcome);
        if (o.kind !== 'running') break;
        await sleep(this.opts.pollIntervalMs);
      }
      throw err;
    }
  }

  /**
   * Wait until a result file of `req` the container may still be writing verifies (bounded by
   * verifyTimeoutMs; one that never does is removed anyway). No file: nothing to wait for.
   */
  private async settled(req: RenderRequest): Promise<void> {
    const result = join(this.tempDir, `${req.code}-r.mp4`);
    if (!(await stat(result).then(() => true, () => false))) return;
    await this.waitUntilValid(result, { ...req, signal: new AbortController().signal }).catch(() => undefined);
  }

  private get hangLimits(): HangLimits {
    const o = this.opts;
    return { hangFactor: o.hangFactor, hangMinMs: o.hangMinMs, defaultSecPerSpeechSec: o.defaultRenderSecPerSpeechSec, renderTimeoutMs: o.renderTimeoutMs, renderTimeoutPerSpeechSecMs: o.renderTimeoutPerSpeechSecMs };
  }

  /**
   * Poll until a final answer. A job the container answers for and still knows is alive, however
   * long its progress stays flat; it is declared hung only far beyond its expected time.
   */
  private async follow(req: RenderRequest, submittedAt: number | null): Promise<QueryOutcome> {
    const started = submittedAt ?? Date.now();
    const audioSec = req.audioDurationSec;
    const resultName = `${req.code}-r.mp4`;
    const file = await ResultFileSignal.open(this.tempDir, resultName, { enabled: this.opts.watchResultFile, fallbackMs: this.opts.minPollIntervalMs });
    let lastProgress = -1;
    let lastRunningAt = started;
    try {
      for (;;) {
        const verdict = judgeRender(Date.now() - started, this.hangLimits, audioSec, this.pace.upperMs(audioSec));
        if (verdict.kind !== 'ok') {
          this.stuckCode = req.code;
          const limit = `${Math.round(verdict.limitMs / 1000)} s`;
          throw new TaskError(
            'render_timeout',
            verdict.kind === 'timeout' ? `Render did not finish within ${limit}` : `Video container still busy after ${limit}, far over the time expected for ${audioSec.toFixed(1)} s of speech (hung?)`,
            { retryable: true },
          );
        }
        const askedAt = Date.now();
        const o = await this.query(req.code, req.signal);
        if (o.kind === 'done' || o.kind === 'failed') {
          if (o.kind === 'done' && submittedAt !== null) this.pace.observe(containerFinishedAt(lastRunningAt, askedAt) - started, audioSec);
          return o;
        }
        if (o.kind === 'unknown') {
          // The job vanished without a final answer we saw: the container restarted or we lost it.
          if (await this.findResultFile(req.code)) return { kind: 'done', progress: 100, result: `/${resultName}`, data: {} };
          throw new TaskError('render_lost', 'Video container no longer knows this job (restarted?)', { retryable: true });
        }
        if (o.kind === 'error') throw new TaskError('render_failed', `Video container query error ${o.code}: ${o.message}`, { retryable: true });
        lastRunningAt = Date.now();
        if (o.progress !== lastProgress) {
          lastProgress = o.progress;
          req.onProgress?.({ progress: o.progress });
        }
        const delay = nextPollDelay({
          elapsedMs: Date.now() - started,
          expectedMs: this.pace.expectedMs(audioSec),
          progress: o.progress,
          finishing: file.seen || o.result !== null,
          pollMs: this.opts.pollIntervalMs,
          minPollMs: this.opts.minPollIntervalMs,
        });
        await file.wait(delay, req.signal).catch(() => {
          throw new TaskError('canceled', 'Task was canceled');
        });
      }
    } finally {
      file.close();
    }
  }

  private async collect(req: RenderRequest, final: QueryOutcome): Promise<RenderResult> {
    if (final.kind === 'failed') throw new TaskError('render_failed', `Render failed: ${final.message}`, { retryable: !renderFailureBlamesInput(final.message ?? '') });
    if (final.kind !== 'done') throw new TaskError('render_failed', 'Render ended without a result');
    req.onCollecting?.();
    await this.handover.wait(HANDOVER_MAX_MS, req.signal);
    const source = final.result ? resultHostPath(final.result, this.opts.hostDataDir, this.opts.containerDataDir) : join(this.tempDir, `${req.code}-r.mp4`);
    if (!source) throw new TaskError('result_invalid', `Container named an unusable result path: ${final.result}`);
    const probe = await this.waitUntilValid(source, req);
    const tmp = `${req.outPath}.tmp-${randomBytes(4).toString('hex')}`;
    await copyFile(source, tmp);
    await rename(tmp, req.outPath);
    if (source !== join(this.tempDir, `${req.code}-r.mp4`)) await rm(source, { force: true });
    return { outPath: req.outPath, durationSec: probe, engineData: final.data };
  }

  /**
   * The file may still be written for a moment after status 2: wait for it to verify, bounded.
   * Checked at first sight (usually complete), then again only after it stopped changing.
   */
  private async waitUntilValid(path: string, req: RenderRequest): Promise<number> {
    const deadline = Date.now() + this.opts.verifyTimeoutMs;
    let reason = 'result file missing';
    let seen: { size: number; mtimeMs: number; since: number; checked: boolean } | null = null;
    for (;;) {
      const st = await stat(path).catch(() => null);
      if (st) {
        const now = Date.now();
        if (!seen || seen.size !== st.size || seen.mtimeMs !== st.mtimeMs) seen = { size: st.size, mtimeMs: st.mtimeMs, since: now, checked: seen === null ? false : true };
        const settled = now - seen.since >= SETTLE_MS;
        if (!seen.checked || settled || now > deadline) {
          const v = await this.opts.media.verifyMp4(path, { expectedDurationSec: req.audioDurationSec }, req.signal);
          if (v.ok) return v.probe.durationSec;
          reason = v.reason;
          seen.checked = true;
          seen.since = Date.now(); // unchanged and still invalid: look again after another settle period
        }
      }
      if (Date.now() > deadline) throw new TaskError('result_invalid', `Result did not verify within ${this.opts.verifyTimeoutMs} ms: ${reason}`, { retryable: true });
      await sleep(VERIFY_STEP_MS, undefined, { signal: req.signal }).catch(() => {
        throw new TaskError('canceled', 'Task was canceled');
      });
    }
  }

  private async verifiedOutput(req: RenderRequest): Promise<RenderResult | null> {
    if (!(await stat(req.outPath).then((st) => st.size > 0, () => false))) return null;
    const v = await this.opts.media.verifyMp4(req.outPath, { expectedDurationSec: req.audioDurationSec }, req.signal);
    return v.ok ? { outPath: req.outPath, durationSec: v.probe.durationSec, engineData: { status: 2, progress: 100, recovered: true } } : null;
  }

  /** true while the abandoned job is still running in the container; clears it once it ended. */
  private async stillStuck(signal: AbortSignal): Promise<boolean> {
    if (!this.stuckCode) return false;
    const o = await this.query(this.stuckCode, signal);
    if (o.kind === 'running') return true;
    this.stuckCode = null;
    return false;
  }

  private async findResultFile(code: string): Promise<boolean> {
    return stat(join(this.tempDir, `${code}-r.mp4`)).then((s) => s.size > 0, () => false);
  }

  private async query(code: string, signal: AbortSignal): Promise<QueryOutcome> {
    return readQuery(await this.call(`/easy/query?code=${encodeURIComponent(code)}`, { method: 'GET' }, signal));
  }

  private async call(path: string, init: RequestInit, signal: AbortSignal): Promise<VideoReply> {
    const res = await request(
      `${this.opts.url}${path}`,
      { ...init, headers: init.body ? { 'content-type': 'application/json' } : undefined, signal: withTimeout(signal, this.opts.requestTimeoutMs) },
      'Video container',
    );
    const body = await readJson(res);
    if (!isVideoReply(body)) throw new TaskError('render_failed', `Video container answered HTTP ${res.status} without a protocol reply`, { retryable: true });
    return body;
  }

  async health(signal: AbortSignal = new AbortController().signal): Promise<boolean> {
    // /easy/query for a code that cannot exist: any protocol reply (10004) proves the server is up.
    try {
      if (await this.stillStuck(signal)) return false;
      const res = await fetch(`${this.opts.url}/easy/query?code=healthcheck`, { signal: withTimeout(signal, this.opts.healthTimeoutMs) });
      return isVideoReply(await readJson(res));
    } catch {
      return false;
    }
  }
}
