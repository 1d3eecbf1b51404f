/**
 * The jobs a remote runner holds, as it knows them: the gateway's last view of each (its fence,
 * its parent) and its runner-local files (downloaded inputs, the speech, the reference voice).
 * Files by key, not path: the gateway's records never hold a runner's path and a runner never
 * sees the gateway's, so a job arriving here is "localized" — its path fields point into this
 * runner's dataDir. Also the runner's reads about a held segment's siblings (SegmentSteps) and
 * a held job's library voice (TaskPipeline), both answered from the gateway.
 */
import { rm, stat } from 'node:fs/promises';
import { TaskError } from '../domain/errors.js';
import type { Fence, Task } from '../domain/task.js';
import type { DataPaths } from '../runner/data-paths.js';
import type { TaskPatch } from '../store/task-store.js';
import type { TaskInputFiles as LibraryInputs } from '../runner/ports.js';
import type { SegmentReads } from '../segments/segment-steps.js';
import type { InputCache } from './input-cache.js';
import type { JobJournal } from './job-journal.js';
import type { RunnerApi } from './runner-api.client.js';
import type { WireJob, WireSegments } from './runner-service.js';

/** Runner-local paths of a job (never sent to the gateway). */
interface Local {
  videoPath: string | null;
  /** The library voice of the job (downloaded into the cache), with its transcript. */
  voice?: { path: string; hash: string; text: string } | null;
  referenceAudio: string | null;
  audioPath: string | null;
}

export const fenceOfJob = (job: Pick<WireJob, 'attempt' | 'leaseToken'>): Fence => ({ attempt: job.attempt, token: job.leaseToken! });

export class HeldJobs implements SegmentReads {
  private readonly local = new Map<string, Local>();
  private readonly wire = new Map<string, WireJob>();

  constructor(
    private readonly api: RunnerApi,
    private readonly paths: DataPaths,
    readonly journal: JobJournal,
    private readonly cache: InputCache,
    private readonly signal: AbortSignal,
  ) {}

  /** A job the gateway just handed to `slotId`: journaled, its inputs downloaded. Throws when an input cannot be fetched. */
  async accept(job: WireJob, slotId: number): Promise<Task> {
    await this.journal.write(job, slotId);
    const fence = fenceOfJob(job);
    const videoPath = job.inputs.video ? await this.cache.fetch(job, fence) : null;
    const voice = await this.voiceOf(job, fence);
    this.local.set(job.id, { videoPath, voice, referenceAudio: null, audioPath: null });
    return this.localize(job);
  }

  /** A job this runner held before a restart: its speech, if made, is still here; inputs are fetched again if gone. */
  async adopt(job: WireJob): Promise<Task> {
    const speech = this.paths.speech(job.id);
    const hasSpeech = await stat(speech).then((s) => s.size > 0, () => false);
    const fence = fenceOfJob(job);
    const videoPath = job.inputs.video ? await this.cache.fetch(job, fence).catch(() => null) : null;
    const voice = await this.voiceOf(job, fence).catch(() => null);
    this.local.set(job.id, { videoPath, voice, referenceAudio: null, audioPath: hasSpeech ? speech : null });
    return this.localize(job);
  }

  /** The job's library voice, if it names one (cached by content hash like the face). */
  private async voiceOf(job: WireJob, fence: Fence): Promise<Local['voice']> {
    const want = job.inputs.voice;
    if (!want) return null;
    return { path: await this.cache.fetch(job, fence, 'voice'), hash: want.sha256, text: want.text };
  }

  /** A gateway task → a runner task: its paths are this runner's. */
  localize(job: WireJob): Task {
    const l = this.local.get(job.id);
    this.wire.set(job.id, job);
    const speech = this.paths.speech(job.id);
    const { inputs: _inputs, ...task } = job;
    return { ...task, videoPath: l?.videoPath ?? null, referenceAudio: l?.referenceAudio ?? null, audioPath: l?.audioPath ?? (job.audioDurationSec !== null ? speech : null), outputPath: null, leaseExpiresAt: null };
  }

  /** Runner-local paths the pipeline reports are kept here, never sent. */
  remember(id: string, patch: TaskPatch): void {
    const l = this.local.get(id) ?? { videoPath: null, referenceAudio: null, audioPath: null };
    if (patch.referenceAudio !== undefined) l.referenceAudio = patch.referenceAudio;
    if (patch.audioPath !== undefined) l.audioPath = patch.audioPath;
    this.local.set(id, l);
  }

  /** The speech file of a held job (uploaded with its result). */
  speechOf(id: string): string {
    return this.local.get(id)?.audioPath ?? this.paths.speech(id);
  }

  /** The job is over here: no journal entry, no local files (the input cache stays). */
  async forget(id: string): Promise<void> {
    this.local.delete(id);
    this.wire.delete(id);
    await this.journal.remove(id);
    await Promise.all([rm(this.paths.output(id), { force: true }), rm(this.paths.speech(id), { force: true }), rm(this.paths.taskWork(id), { recursive: true, force: true })]);
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
    const r = await this.api.call<WireSegments>('GET', `/jobs/${job.id}/segments`, { fence: fenceOfJob(job), signal: this.signal });
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
}
