/**
 * The TaskStore port as a remote runner sees it: the narrow part the Scheduler, SlotRunner and
 * TaskLifecycle use (claim, fenced transitions and patches, heartbeats, reclaim, the jobs it
 * holds, its slots), implemented over the gateway's runner API. So local slots and remote
 * runners are scheduled by the same code; only the store differs.
 *
 * Files by key, not path: the gateway's records never hold a runner's path and a runner never
 * sees the gateway's. A claimed job's face video is downloaded (once per content hash, into the
 * runner's cache) and the task is "localized": its path fields point into the runner's own
 * dataDir. The move to `completed` is the multipart upload of the MP4 and the speech WAV.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TaskError } from '../domain/errors.js';
import type { Fence, Task, TaskState } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { DataPaths } from '../runner/data-paths.js';
import type { ClaimRequest, HeartbeatResult, SlotRecord, TaskPatch, TaskStore, TransitionGuard } from '../store/task-store.js';
import { GatewayUnreachable, type RunnerApi } from './runner-api.client.js';
import type { WireJob, WireSegments } from './runner-service.js';
import type { LibraryInputs } from '../library/library.service.js';
import { JobJournal } from './job-journal.js';
import { noPrunedRows, type PrunedRows } from '../store/record-prune.js';

const FORWARD: ReadonlySet<TaskState> = new Set(['reserved', 'tts', 'rendering', 'collecting']);
const VIDEO_EXT = new Set(['.mp4', '.mov', '.mkv', '.avi', '.webm']);

/** Runner-local paths of a job (never sent to the gateway). */
interface Local {
  videoPath: string | null;
  /** The library voice of the job (downloaded into the cache), with its transcript. */
  voice?: { path: string; hash: string; text: string } | null;
  referenceAudio: string | null;
  audioPath: string | null;
}

export interface RemoteStoreOptions {
  /** Long-poll wait of a work request. */
  pollWaitMs: number;
  /** Keep at most this many cached inputs (oldest used go first). */
  cacheMaxFiles: number;
}

export class RemoteTaskStore implements TaskStore {
  readonly shared = true;
  private readonly local = new Map<string, Local>();
  /** The last gateway view of each held job (its fence, parent), for calls about its segment. */
  private readonly wire = new Map<string, WireJob>();
  private readonly closing = new AbortController();
  readonly journal: JobJournal;
  /** Lease terms learnt at registration. */
  terms = { nodeId: '', leaseMs: 30_000, heartbeatMs: 5000 };

  constructor(
    private readonly api: RunnerApi,
    private readonly paths: DataPaths,
    private readonly log: Logger,
    private readonly o: RemoteStoreOptions,
  ) {
    this.journal = new JobJournal(join(paths.root, 'jobs'));
  }

  private get cacheDir(): string {
    return join(this.paths.root, 'cache');
  }

  /** Introduce this runner (idempotent): identity and lease terms. Throws on a refusal. */
  async connect(slotIds: number[], facts: { host: string; version: string }): Promise<void> {
    const r = await this.api.call<{ nodeId: string; leaseMs: number; heartbeatMs: number }>('POST', '/register', { body: { slots: slotIds, ...facts } });
    if (r.status !== 200) throw new Error(`the gateway refused this runner (${r.status} ${r.body.code ?? ''}): ${r.body.error ?? ''}`);
    this.terms = { nodeId: r.body.nodeId, leaseMs: r.body.leaseMs, heartbeatMs: r.body.heartbeatMs };
  }

  /** A gateway task → a runner task: its paths are this runner's. */
  private localize(job: WireJob): Task {
    const l = this.local.get(job.id);
    this.wire.set(job.id, job);
    const speech = this.paths.speech(job.id);
    const { inputs: _inputs, ...task } = job;
    return { ...task, videoPath: l?.videoPath ?? null, referenceAudio: l?.referenceAudio ?? null, audioPath: l?.audioPath ?? (job.audioDurationSec !== null ? speech : null), outputPath: null, leaseExpiresAt: null };
  }

  async claimNext(req: ClaimRequest): Promise<Task | undefined> {
    if (this.closing.signal.aborted) return undefined;
    let r;
    try {
      r = await this.api.call<{ job: WireJob | null }>('POST', '/jobs/request', { body: { slotId: req.slotId, waitMs: this.o.pollWaitMs }, timeoutMs: this.o.pollWaitMs + 15_000, signal: this.closing.signal });
    } catch (err) {
      if (this.closing.signal.aborted) return undefined;
      throw err;
    }
    if (r.status !== 200) throw new Error(`work request refused (${r.status} ${r.body.code ?? ''}): ${r.body.error ?? ''}`);
    const job = r.body.job;
    if (!job) return undefined;
    const fence = { attempt: job.attempt, token: job.leaseToken! };
    await this.journal.write(job, req.slotId);
    try {
      const videoPath = job.inputs.video ? await this.fetchInput(job, fence) : null;
      const voice = await this.fetchVoice(job, fence);
      this.local.set(job.id, { videoPath, voice, referenceAudio: null, audioPath: null });
    } catch (err) {
      // The input could not be fetched: the attempt ends at once (retryable), the slot stays free.
      this.log.warn({ taskId: job.id, err: (err as Error).message }, 'could not download the job input; handing it back');
      await this.api.call('POST', `/jobs/${job.id}/error`, { fence, body: { code: 'engine_unreachable', message: `input download failed: ${(err as Error).message}`, retryable: true } }).catch(() => undefined);
      await this.forget(job.id);
      return undefined;
    }
    return this.localize(job);
  }

  /** The job's library voice, if it names one (cached by content hash like the face). */
  private async fetchVoice(job: WireJob, fence: Fence): Promise<Local['voice']> {
    const want = job.inputs.voice;
    if (!want) return null;
    return { path: await this.fetchInput(job, fence, 'voice'), hash: want.sha256, text: want.text };
  }

  /**
   * For the task pipeline (docs/avatars.md): the library voice of a held job. Asked by the
   * job's id or, for a segment, by its parent's id. The face needs no answer here: the job's
   * `videoPath` already points at the downloaded face.
   */
  async inputsForTask(taskId: string): Promise<LibraryInputs | null> {
    for (const [id, job] of this.wire) {
      if (id !== taskId && job.parentId !== taskId) continue;
      const voice = this.local.get(id)?.voice;
      if (voice) return { face: null, voice };
    }
    return null;
  }

  /** The gateway's view of a segment's siblings, asked with the lease of a held sibling. */
  private async segmentsOf(parentId: string): Promise<WireSegments | undefined> {
    const job = [...this.wire.values()].find((j) => j.parentId === parentId && j.leaseToken);
    if (!job) return undefined;
    const r = await this.api.call<WireSegments>('GET', `/jobs/${job.id}/segments`, { fence: { attempt: job.attempt, token: job.leaseToken! }, signal: this.closing.signal });
    if (r.status !== 200) throw new TaskError('engine_unreachable', `the gateway answered ${r.status} for the segments of ${parentId}`);
    return r.body;
  }

  async listSegments(parentId: string): Promise<Task[]> {
    return ((await this.segmentsOf(parentId))?.segments ?? []) as Task[];
  }

  /** A runner reads only the parent of a segment it holds (its segment count). */
  async get(id: string): Promise<Task | undefined> {
    const view = [...this.wire.values()].some((j) => j.parentId === id) ? await this.segmentsOf(id) : undefined;
    return view ? ({ ...view.parent, parentId: null } as unknown as Task) : undefined;
  }

  /** An input of the job (face video or library voice) from the cache (by content hash), else downloaded with the lease token. */
  private async fetchInput(job: WireJob, fence: Fence, name: 'video' | 'voice' = 'video'): Promise<string> {
    const want = job.inputs[name]!;
    const ext = name === 'voice' ? '.wav' : VIDEO_EXT.has(extname(job.videoName ?? '').toLowerCase()) ? extname(job.videoName!).toLowerCase() : '.mp4';
    const path = join(this.cacheDir, `${want.sha256}${ext}`);
    const hit = await stat(path).then((s) => s.size === want.size, () => false);
    if (hit) {
      const now = new Date();
      await utimes(path, now, now).catch(() => undefined); // most recently used
      return path;
    }
    await mkdir(this.cacheDir, { recursive: true });
    const tmp = `${path}.part-${randomBytes(4).toString('hex')}`;
    try {
      for (let tryNo = 1; ; tryNo++) {
        try {
          const res = await this.api.download(`/jobs/${job.id}/inputs/${name}`, fence, this.closing.signal);
          if (res.status !== 200 || !res.body) throw new Error(`HTTP ${res.status}`);
          const h = createHash('sha256');
          const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
          body.on('data', (c: Buffer) => h.update(c));
          await pipeline(body, createWriteStream(tmp));
          const got = h.digest('hex');
          if (got !== want.sha256) throw new Error(`content hash mismatch (${got.slice(0, 12)}…)`);
          break;
        } catch (err) {
          if (tryNo >= 4 || this.closing.signal.aborted) throw err;
          await new Promise((res) => setTimeout(res, 300 * 2 ** tryNo));
        }
      }
      await rename(tmp, path);
    } finally {
      await rm(tmp, { force: true });
    }
    await this.trimCache();
    return path;
  }

  private async trimCache(): Promise<void> {
    const names = (await readdir(this.cacheDir).catch(() => [] as string[])).filter((n) => !n.includes('.part-'));
    if (names.length <= this.o.cacheMaxFiles) return;
    const withTimes = await Promise.all(names.map(async (n) => ({ n, t: await stat(join(this.cacheDir, n)).then((s) => s.mtimeMs, () => 0) })));
    withTimes.sort((a, b) => a.t - b.t);
    for (const { n } of withTimes.slice(0, names.length - this.o.cacheMaxFiles)) await rm(join(this.cacheDir, n), { force: true });
  }

  async transition(id: string, guard: TransitionGuard, to: TaskState, patch: TaskPatch, _now: number): Promise<Task | undefined> {
    const fence = guard.fence;
    if (!fence) return undefined;
    const from = Array.isArray(guard.from) ? undefined : (guard.from as TaskState);
    this.remember(id, patch);
    if (FORWARD.has(to) && from) {
      const r = await this.api.call<WireJob>('POST', `/jobs/${id}/transition`, { fence, body: { from, to, patch: this.wirePatch(patch) } });
      return this.answer(id, r, to);
    }
    if (to === 'completed') return this.complete(id, fence, patch);
    if (to === 'queued' || to === 'failed') {
      const r = await this.api.call<WireJob>('POST', `/jobs/${id}/error`, { fence, body: { code: patch.errorCode ?? 'internal', message: patch.errorMessage ?? '', retryable: to === 'queued' } });
      const done = this.answer(id, r, to);
      await this.forget(id);
      return done;
    }
    return undefined;
  }

  /** The result upload; a refusal (the attempt is no longer ours) records nothing and keeps no file. */
  private async complete(id: string, fence: Fence, patch: TaskPatch): Promise<Task | undefined> {
    const l = this.local.get(id);
    const files = { video: patch.outputPath!, speech: l?.audioPath ?? this.paths.speech(id) };
    const form = await this.api.resultForm(files, this.wirePatch(patch));
    const r = await this.api.call<WireJob>('POST', `/jobs/${id}/success`, { fence, form, timeoutMs: 10 * 60_000 });
    if (r.status === 422) throw new TaskError('result_invalid', `The gateway refused the result: ${r.body.error ?? ''}`, { retryable: true });
    if (r.status === 410 || r.status === 409) this.log.warn({ taskId: id, attempt: fence.attempt, code: r.body.code }, 'result refused: the attempt is no longer this runner\'s; output discarded');
    const done = this.answer(id, r, 'completed');
    await this.forget(id);
    return done;
  }

  /** Late upload of an attempt found in the journal after a restart (see runner-node.ts). */
  async offerLateResult(job: Task, fence: Fence, outPath: string): Promise<number> {
    const form = await this.api.resultForm({ video: outPath, speech: this.paths.speech(job.id) }, {});
    const r = await this.api.call('POST', `/jobs/${job.id}/success`, { fence, form, timeoutMs: 10 * 60_000 });
    await this.forget(job.id);
    return r.status;
  }

  private answer(id: string, r: { status: number; body: WireJob & { code?: string } }, to: TaskState): Task | undefined {
    if (r.status === 200) return this.localize(r.body);
    if (r.status === 409 || r.status === 410 || r.status === 404) return undefined;
    // Still away after the call's retries (its database, a proxy in front) or its disk full: wait,
    // keep the result (the heartbeats keep the lease meanwhile).
    if (r.status === 502 || r.status === 503 || r.status === 504 || r.status === 507) throw new GatewayUnreachable(`a move to ${to}`, new Error(`HTTP ${r.status} ${r.body.code ?? ''}`));
    throw new TaskError('engine_unreachable', `gateway answered ${r.status} to a move to ${to}: ${r.body.code ?? ''}`, { retryable: true });
  }

  /** Runner-local paths the pipeline reports are kept here, never sent. */
  private remember(id: string, patch: TaskPatch): void {
    const l = this.local.get(id) ?? { videoPath: null, referenceAudio: null, audioPath: null };
    if (patch.referenceAudio !== undefined) l.referenceAudio = patch.referenceAudio;
    if (patch.audioPath !== undefined) l.audioPath = patch.audioPath;
    this.local.set(id, l);
  }

  private wirePatch(patch: TaskPatch): Record<string, unknown> {
    const { referenceAudio: _r, audioPath: _a, outputPath: _o, attempts: _n, slotId: _s, availableAt: _v, ...rest } = patch;
    return rest;
  }

  /** The job is over here: no journal entry, no local files (the input cache stays). */
  private async forget(id: string): Promise<void> {
    this.local.delete(id);
    this.wire.delete(id);
    await this.journal.remove(id);
    await Promise.all([rm(this.paths.output(id), { force: true }), rm(this.paths.speech(id), { force: true }), rm(this.paths.taskWork(id), { recursive: true, force: true })]);
  }

  async patch(id: string, fence: Fence, patch: TaskPatch, _now: number): Promise<boolean> {
    this.remember(id, patch);
    const wire = this.wirePatch(patch);
    if (!Object.keys(wire).length) return true;
    if (wire.renderSubmitted) await this.journal.update(id, { renderSubmitted: true });
    const r = await this.api.call('POST', `/jobs/${id}/update`, { fence, body: { patch: wire }, retryForMs: Math.min(5000, this.terms.leaseMs / 2) });
    return r.status === 200;
  }

  async heartbeat(id: string, fence: Fence): Promise<HeartbeatResult> {
    // One try: the next beat tries again, and the lease runs several beats.
    const r = await this.api.call<{ result: HeartbeatResult; canceled: boolean }>('POST', `/jobs/${id}/heartbeat`, { fence, retryForMs: 0 });
    if (r.status !== 200) throw new Error(`heartbeat answered ${r.status}`);
    // Lost (canceled, reaped, superseded): the container is drained by the slot; nothing of the
    // job is kept here.
    if (r.body.result === 'lost') await this.forget(id);
    return r.body.result;
  }

  async reclaim(id: string, fence: Fence): Promise<Task | undefined> {
    const r = await this.api.call<WireJob>('POST', `/jobs/${id}/reclaim`, { fence });
    if (r.status !== 200) return undefined;
    await this.journal.update(id, { leaseToken: r.body.leaseToken });
    return this.localize(r.body);
  }

  /** Jobs the gateway says this runner holds under a live lease (restart recovery). */
  async listHeldBy(): Promise<Task[]> {
    const r = await this.api.call<{ jobs: WireJob[] }>('GET', '/jobs');
    if (r.status !== 200) throw new Error(`listing held jobs answered ${r.status}`);
    const out: Task[] = [];
    for (const job of r.body.jobs) {
      const speech = this.paths.speech(job.id);
      const hasSpeech = await stat(speech).then((s) => s.size > 0, () => false);
      let videoPath: string | null = null;
      const fence = { attempt: job.attempt, token: job.leaseToken! };
      if (job.inputs.video) videoPath = await this.fetchInput(job, fence).catch(() => null);
      const voice = await this.fetchVoice(job, fence).catch(() => null);
      this.local.set(job.id, { videoPath, voice, referenceAudio: null, audioPath: hasSpeech ? speech : null });
      out.push(this.localize(job));
    }
    return out;
  }

  /** Hand a job back to the queue (shutdown before its render). */
  async handBack(job: Task): Promise<void> {
    await this.api.call('POST', `/jobs/${job.id}/abort`, { fence: { attempt: job.attempt, token: job.leaseToken! }, retryForMs: 5000 });
    await this.forget(job.id);
  }

  async registerSlots(_nodeId: string, slotIds: readonly number[]): Promise<SlotRecord[]> {
    const r = await this.api.call('POST', '/register', { body: { slots: slotIds } });
    if (r.status !== 200) throw new Error(`the gateway refused this runner's slots (${r.status} ${r.body.code ?? ''}): ${r.body.error ?? ''}`);
    return [];
  }

  async reportSlots(_nodeId: string, slots: ReadonlyArray<{ slotId: number; info: Record<string, unknown> }>): Promise<void> {
    await this.api.call('POST', '/slots', { body: { slots }, retryForMs: 0 });
  }

  async unregisterSlots(): Promise<void> {
    await this.api.call('POST', '/unregister', { retryForMs: 2000 });
  }

  /** Always "ask again now": the next work request is itself a long poll. */
  async nextAvailableAt(): Promise<number | null> {
    return this.closing.signal.aborted ? null : Date.now();
  }

  onRemoteChange(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    this.closing.abort();
  }

  // The rest of the port is the gateway's business; a runner never calls it.
  async listExpired(): Promise<Task[]> {
    return []; // the gateway's reaper ends expired attempts
  }
  async create(): Promise<Task> {
    throw new Error('a runner does not create tasks');
  }
  async queuePosition(): Promise<number | null> {
    return null;
  }
  async queueSize(): Promise<number> {
    return 0;
  }
  async listQueued(): Promise<Task[]> {
    return [];
  }
  async listInStates(): Promise<Task[]> {
    return [];
  }
  async list(): Promise<{ items: Task[]; total: number }> {
    return { items: [], total: 0 };
  }
  async listForStats(): Promise<Task[]> {
    return [];
  }
  async events(): Promise<[]> {
    return [];
  }
  async countByState(): Promise<Partial<Record<TaskState, number>>> {
    return {};
  }
  async purgeFinished(): Promise<PrunedRows> {
    return noPrunedRows();
  }
  async deleteTasks(): Promise<PrunedRows> {
    return noPrunedRows();
  }
  async setTitle(): Promise<boolean> {
    return false;
  }
  async listSlots(): Promise<SlotRecord[]> {
    return [];
  }
}
