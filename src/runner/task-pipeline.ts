/**
 * The steps of one task on one slot: prepare → TTS → (wait for the video lane) → render →
 * collect. Steps only do work and report it through the attempt port (attempt.ts); what
 * happens on failure is decided by SlotRunner and the task's owner behind the port. A move that loses its compare-and-set (the task
 * was canceled meanwhile) stops the pipeline.
 */
import { mkdir, rm } from 'node:fs/promises';
import { TaskError } from '../domain/errors.js';
import { renderCode, type Task } from '../domain/task.js';
import type { RenderRequest, RenderResult, SlotEngines } from '../engines/ports.js';
import type { Media } from '../media/media.js';
import type { Clock } from '../tasks/clock.js';
import type { DataPaths } from './data-paths.js';
import type { AttemptPort } from './attempt.js';
import { join } from 'node:path';
import type { Backups, LaneWait, Normalize, OutputCheck, SegmentWork, TaskInputFiles, TaskInputs } from './ports.js';

export interface SlotDefaults {
  faceVideo: string;
  referenceVoice: string;
}

export interface PipelineDeps {
  attempts: AttemptPort;
  media: Media;
  clock: Clock;
  paths: DataPaths;
  normalize: Normalize;
  maxReferenceSeconds: number;
  fallbackToReferenceAudio: boolean;
  /** Steps of segment children (docs/segments.md); absent → segments run as plain tasks. */
  segments?: SegmentWork;
  /** Library avatar/voice of a task, by task id (docs/avatars.md); absent = none. */
  inputs?: TaskInputs;
  /** Backup renders of segments on idle slots of this node (docs/segments.md); absent = none. */
  backups?: Backups;
  /** The output check before `completed` (docs/checks.md); absent = results are not checked. */
  outputGate?: OutputCheck;
}

/** Thrown when the task left the state we expected (canceled meanwhile): stop quietly. */
export class TaskGone extends Error {
  constructor(readonly taskId: string) {
    super(`task ${taskId} changed state underneath the runner`);
  }
}

export class TaskPipeline {
  constructor(
    private readonly deps: PipelineDeps,
    private readonly slot: SlotEngines,
    private readonly defaults: SlotDefaults,
  ) {}

  /** Waits out a database outage (the attempt's own signal ends the wait). */
  private async move(task: Task, to: Task['state'], patch: Parameters<AttemptPort['advance']>[2], signal: AbortSignal): Promise<Task> {
    const next = await this.deps.attempts.advance(task, to, patch, signal);
    if (!next) throw new TaskGone(task.id);
    return next;
  }

  /** preparing → reserved: reference voice from the upload (or the default), normalized text. */
  async prepare(task: Task, signal: AbortSignal): Promise<Task> {
    const work = this.deps.paths.taskWork(task.id);
    await mkdir(work, { recursive: true });
    let referenceAudio = this.defaults.referenceVoice;
    const lib = await this.libraryOf(task);
    if (lib?.voice) referenceAudio = lib.voice.path;
    else if (task.videoPath) {
      const probe = await this.deps.media.probe(task.videoPath, signal);
      if (probe.hasAudio) {
        referenceAudio = join(work, 'reference.wav');
        await this.deps.media.extractAudio(task.videoPath, referenceAudio, { maxSeconds: this.deps.maxReferenceSeconds, signal });
      }
    }
    const normalizedText = task.normalizedText ?? this.deps.normalize(task.text, task.language);
    if (!normalizedText.trim()) throw new TaskError('input_invalid', 'Text has nothing to speak after normalization');
    return this.move(task, 'reserved', { referenceAudio, normalizedText }, signal);
  }

  /** reserved → tts → (tts done, still `tts`): the speech WAV for this task. */
  async speak(task: Task, signal: AbortSignal): Promise<Task> {
    task = await this.move(task, 'tts', { ttsStartedAt: this.deps.clock.now() }, signal);
    await mkdir(this.deps.paths.outputs, { recursive: true });
    const outPath = this.deps.paths.speech(task.id);
    let audioPath: string;
    let durationSec: number;
    const referenceAudio = task.referenceAudio ?? this.defaults.referenceVoice;
    const lib = await this.libraryOf(task);
    const libVoice = lib?.voice && lib.voice.path === referenceAudio ? lib.voice : null;
    const face = this.faceOf(task, lib);
    const seg = task.parentId ? this.deps.segments : undefined;
    const earlier = await seg?.beforeSpeech(task, face);
    if (earlier) ({ audioPath, durationSec } = earlier);
    else try {
      ({ audioPath, durationSec } = await this.slot.speech.synthesize({
        taskId: task.id,
        text: task.normalizedText ?? task.text,
        language: task.language,
        referenceAudio,
        referenceText: libVoice?.text,
        referenceKey: libVoice?.hash,
        outPath,
        seed: seg?.seedOf(task),
        signal,
      }));
    } catch (err) {
      // Opt-in only: the video would then say the reference's words, not the requested text.
      if (!this.deps.fallbackToReferenceAudio || signal.aborted || !task.referenceAudio) throw err;
      audioPath = task.referenceAudio;
      durationSec = await this.deps.media.duration(audioPath, signal);
    }
    if (seg && !earlier) durationSec = await seg.finishSpeech(task, audioPath, face, signal);
    const patch = { ttsEndedAt: this.deps.clock.now(), audioPath, audioDurationSec: durationSec };
    await this.deps.attempts.record(task, patch, signal);
    return { ...task, ...patch };
  }

  /** The library avatar/voice of a task; a segment uses its parent's (docs/avatars.md). */
  private async libraryOf(task: Task): Promise<TaskInputFiles | null> {
    return (await this.deps.inputs?.inputsForTask(task.parentId ?? task.id)) ?? null;
  }

  /** Face video: the upload, else the library avatar, else the slot's default. */
  private faceOf(task: Task, lib: TaskInputFiles | null): string {
    return task.videoPath ?? lib?.face?.path ?? this.defaults.faceVideo;
  }

  /**
   * Between speech and render: a segment waits for its face offset and cuts its face clip.
   * `onQueuedWait(true)` while it waits on an earlier segment that is back in the queue.
   */
  async beforeRender(task: Task, signal: AbortSignal, onQueuedWait?: (queued: boolean) => void): Promise<Task> {
    if (!task.parentId || !this.deps.segments) {
      // Before the video lane is ours: the face's probe is then off the GPU's hand-over path.
      if (!task.parentId) await this.slot.video.prepareFace?.(this.faceOf(task, await this.libraryOf(task)), signal).catch(() => undefined);
      return task;
    }
    return this.deps.segments.prepareRender(task, this.faceOf(task, await this.libraryOf(task)), signal, onQueuedWait);
  }

  /**
   * A segment ready to render (spoken, face clip cut) whose slot's video lane is taken: open it
   * for backup renders on idle slots meanwhile (docs/segments.md). Null for anything else.
   */
  openForBackups(task: Task): LaneWait | null {
    const backups = this.deps.backups;
    if (!task.parentId || !backups?.enabled || !this.deps.segments || !task.audioPath) return null;
    return backups.waitForLane(task, this.slot.id, { audioPath: task.audioPath, videoPath: this.deps.segments.faceClipPath(task), audioSec: task.audioDurationSec ?? 0 });
  }

  /** A segment whose backup render finished before its own slot was free: its file is the video. */
  async completeWithBackup(task: Task, signal: AbortSignal, wait: LaneWait, result: RenderResult): Promise<Task> {
    return this.render(task, signal, false, () => undefined, () => undefined, await wait.adopt(result, this.deps.paths.output(task.id)));
  }

  /**
   * tts → rendering → collecting → completed (or resume a submitted render after a restart).
   * `onEngineFree` is called once the video container is free; when a backup render ends the
   * attempt first, `holdEngine` gets the own job still running instead (the slot keeps its lane).
   */
  async render(
    task: Task,
    signal: AbortSignal,
    resume = false,
    onEngineFree: () => void = () => undefined,
    holdEngine: (until: Promise<unknown>) => void = () => undefined,
    /** The video already exists (a backup render's): no render on this slot. */
    rendered?: RenderResult,
  ): Promise<Task> {
    if (!resume) task = await this.move(task, 'rendering', { renderStartedAt: this.deps.clock.now(), engineProgress: 0 }, signal);
    const rendering = task;
    let collecting: Promise<Task | undefined> | null = null;
    // Started when the container reports done, awaited only after the copy: marked handled at
    // once, so a move that fails meanwhile (an outage, then an abort) is not an unhandled rejection.
    const toCollecting = () => {
      if (!collecting) {
        collecting = this.deps.attempts.advance(rendering, 'collecting', { engineProgress: 100 }, signal);
        collecting.catch(() => undefined);
      }
      return collecting;
    };
    // speak() made outputs/ already; a fresh start only needs it when resuming (this runs while
    // the GPU waits for its next job, so no needless file-system round trip here).
    if (resume) await mkdir(this.deps.paths.outputs, { recursive: true });
    const lib = task.videoPath ? null : await this.libraryOf(task);
    const req: RenderRequest = {
      code: renderCode(task),
      audioPath: task.audioPath!,
      videoPath: task.parentId && this.deps.segments ? this.deps.segments.faceClipPath(task) : this.faceOf(task, lib),
      // a segment renders its own cut of the face, never the shared content-hash copy
      videoKey: task.parentId ? undefined : lib?.face?.hash,
      audioDurationSec: task.audioDurationSec ?? 0,
      outPath: this.deps.paths.output(task.id),
      resume: resume || task.renderSubmitted,
      signal,
      // progress() never throws: a lost lease or a storage fault only skips the update
      onSubmitted: () => void this.deps.attempts.progress(rendering, { renderSubmitted: true }),
      onProgress: (p) => void this.deps.attempts.progress(rendering, { engineProgress: p.progress }),
      onCollecting: () => {
        onEngineFree();
        void toCollecting();
      },
    };
    const backups = task.parentId && !resume && this.deps.backups?.enabled ? this.deps.backups : undefined;
    let result: RenderResult;
    if (rendered) result = rendered;
    else if (backups) {
      const raced = await backups.race(task, this.slot.id, req, (r) => this.slot.video.render(r));
      if (raced.engineBusy) holdEngine(raced.engineBusy);
      result = raced.result;
    } else result = await this.slot.video.render(req);
    // the GPU's own result is judged (docs/checks.md), before the fit to the speech evens out its length
    await this.deps.outputGate?.pass(rendering, { video: result.outPath, speech: task.audioPath, face: req.videoPath }, signal);
    // cut or padded to the speech in whole frames; a render far off is retried (docs/segments.md)
    if (this.deps.segments) result = await this.deps.segments.fitToSpeech(task, result, this.deps.media, signal);
    // burned captions and output options, one ffmpeg pass (docs/output.md); a parent's come after its stitch
    if (!task.parentId && this.deps.segments) result = await this.deps.segments.finishOutput(task, result, signal);
    const inCollecting = rendering.state === 'collecting' ? rendering : await toCollecting();
    if (!inCollecting) throw new TaskGone(task.id);
    const done = await this.deps.attempts.complete(inCollecting, { outputPath: result.outPath, engineData: result.engineData ?? null }, signal);
    if (!done) throw new TaskGone(task.id);
    // The reference copy and scratch files are no longer needed; the speech lives in outputs/.
    await rm(this.deps.paths.taskWork(task.id), { recursive: true, force: true }).catch(() => undefined);
    return done;
  }
}
