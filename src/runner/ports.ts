/**
 * What the slot's runner, the task pipeline and the scheduler need from features, declared here
 * so that runner/ depends on nothing above it: the features implement these (the library its
 * inputs, segments their steps and backup renders, checks the output gate, language the speech
 * text) and the composition root (gateway.ts, runners/runner-node.ts) wires them in.
 */
import type { Task } from '../domain/task.js';
import type { RenderRequest, RenderResult, SlotEngines } from '../engines/ports.js';
import type { Media } from '../media/media.js';
import type { SpeechLanguage } from '../text/language.js';

/** The library avatar and voice of a task, as files (docs/avatars.md). */
export interface TaskInputFiles {
  face: { path: string; hash: string } | null;
  voice: { path: string; hash: string; text: string } | null;
}

/** Library inputs by task id (library/library.service.ts; on a remote runner, the held jobs). */
export interface TaskInputs {
  inputsForTask(taskId: string): Promise<TaskInputFiles | null>;
}

/** A task's text → the words to speak (language/speech-text.ts). */
export type Normalize = (text: string, language?: SpeechLanguage) => string;

/** The output check before `completed` (checks/output-gate.ts): throws the check's TaskError on a bad result. */
export interface OutputCheck {
  pass(task: Task, files: { video: string; speech?: string | null; face?: string | null }, signal?: AbortSignal): Promise<void>;
}

/** The steps of a segment of a long script (segments/segment-steps.ts, docs/segments.md). */
export interface SegmentWork {
  /** One sampling seed per script: every segment speaks with the same voice. */
  seedOf(task: Pick<Task, 'parentId'>): number | undefined;
  /** The face clip a segment's render reads. */
  faceClipPath(task: Pick<Task, 'id'>): string;
  /** Before TTS; a retried segment's earlier speech, when it is kept (TTS is then skipped). */
  beforeSpeech(task: Task, faceVideo: string): Promise<{ audioPath: string; durationSec: number } | null>;
  /** TTS output → finished segment speech; answers its length. */
  finishSpeech(task: Task, audioPath: string, faceVideo: string, signal: AbortSignal): Promise<number>;
  /** Between speech and render: wait for the face offset, cut the face clip. */
  prepareRender(task: Task, faceVideo: string, signal: AbortSignal, onQueuedWait?: (queued: boolean) => void): Promise<Task>;
  /** The render cut or padded to the speech. */
  fitToSpeech(task: Task, result: RenderResult, probe: Pick<Media, 'videoPackets'>, signal: AbortSignal): Promise<RenderResult>;
  /** Captions and output options, one pass (docs/output.md). */
  finishOutput(task: Task, result: RenderResult, signal: AbortSignal): Promise<RenderResult>;
}

/** A segment waiting for its own slot's video lane, open for backup renders meanwhile. */
export interface LaneWait {
  won: Promise<RenderResult>;
  adopt(result: RenderResult, outPath: string): Promise<RenderResult>;
  close(kind: 'cancel' | 'shutdown'): void;
}

/** What the owner's render ended with; `engineBusy` settles once its own container job is over. */
export interface RaceResult {
  result: RenderResult;
  engineBusy?: Promise<unknown>;
}

/** A slot that may run another slot's backup render (SlotRunner). */
export interface BackupHost {
  readonly id: number;
  /** Run `work` on this slot's engines holding its video lane; false when the slot is not idle. */
  runBackup(work: (engines: SlotEngines, signal: AbortSignal) => Promise<void>, signal: AbortSignal): boolean;
}

/** Backup renders of segments on idle slots (segments/backup-renders.ts, docs/segments.md). */
export interface Backups {
  readonly enabled: boolean;
  waitForLane(task: Task, slotId: number, inputs: { audioPath: string; videoPath: string; audioSec: number }): LaneWait;
  race(task: Task, slotId: number, req: RenderRequest, render: (r: RenderRequest) => Promise<RenderResult>): Promise<RaceResult>;
  /** Offer an idle slot for a backup; whether one started. */
  offer(host: BackupHost): boolean;
  /** Called when a render opens for backups (the scheduler looks for idle slots). */
  onOpen: () => void;
}
