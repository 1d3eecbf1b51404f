/**
 * The task model and its state machine (docs/lifecycle.md). Pure: no I/O.
 *
 * queued → preparing → reserved → tts → rendering → collecting → completed
 * and failed / canceled from any non-final state. `canTransition` is the one place that
 * knows which moves are legal; the store refuses anything else.
 */
import type { ErrorCode } from './errors.js';
import type { OutputOptions } from './output-options.js';
import type { CaptionStyle } from './caption-style.js';

/**
 * Languages a task can follow, and what a request may ask for (`auto`: detect at intake). The
 * same values as text/language.ts's SpeechLanguage and LanguageOption; declared here because
 * the domain imports nothing outside itself.
 */
export type TaskLanguage = 'zh' | 'en';
export type TaskLanguageRequest = TaskLanguage | 'auto';

export const TASK_STATES = [
  'queued',
  'preparing',
  'reserved',
  'tts',
  'rendering',
  'collecting',
  'completed',
  'failed',
  'canceled',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const FINAL_STATES: ReadonlySet<TaskState> = new Set(['completed', 'failed', 'canceled']);
/** States in which a task holds (part of) a slot. */
export const ACTIVE_STATES: ReadonlySet<TaskState> = new Set(['preparing', 'reserved', 'tts', 'rendering', 'collecting']);

const FORWARD: Record<TaskState, readonly TaskState[]> = {
  queued: ['preparing'],
  preparing: ['reserved', 'queued'],
  reserved: ['tts', 'queued'],
  tts: ['rendering', 'queued'],
  rendering: ['collecting', 'queued'],
  collecting: ['completed', 'queued'],
  completed: [],
  failed: [],
  canceled: [],
};

export function isFinal(state: TaskState): boolean {
  return FINAL_STATES.has(state);
}

/**
 * Legal moves: one step forward, back to `queued` (a retryable fault or a restart hands the
 * task back), or to failed/canceled from any non-final state. `retry` of a final failed or
 * canceled task is the only way out of a final state.
 */
export function canTransition(from: TaskState, to: TaskState): boolean {
  if (isFinal(from)) return to === 'queued' && from !== 'completed';
  if (to === 'failed' || to === 'canceled') return true;
  return FORWARD[from].includes(to);
}

/** Proof that a caller acts for the current attempt: the attempt number and its secret token. */
export interface Fence {
  attempt: number;
  token: string;
}

export function fenceOf(task: Pick<Task, 'attempt' | 'leaseToken'>): Fence | null {
  return task.leaseToken ? { attempt: task.attempt, token: task.leaseToken } : null;
}

/**
 * The job code sent to the video container for the task's current attempt. The first
 * attempt uses the task id (as HeyGem's own client does); later attempts add `-a<n>`, so a
 * container still holding an older attempt's job or result file can never be mistaken for
 * this one.
 */
export function renderCode(task: Pick<Task, 'id' | 'attempt'>): string {
  return task.attempt <= 1 ? task.id : `${task.id}-a${task.attempt}`;
}

export interface Task {
  id: string;
  /** Monotonic insertion order; the queue is ordered by it. */
  seq: number;
  state: TaskState;
  slotId: number | null;
  text: string;
  normalizedText: string | null;
  /** Uploaded face video (host path under dataDir/uploads), null → the slot's default face. */
  videoPath: string | null;
  videoName: string | null;
  referenceAudio: string | null;
  audioPath: string | null;
  audioDurationSec: number | null;
  outputPath: string | null;
  /** Progress reported by the render engine (0..100). */
  engineProgress: number;
  /** True once the video container accepted the job (so a restart re-attaches by code). */
  renderSubmitted: boolean;
  engineData: Record<string, unknown> | null;
  errorCode: ErrorCode | null;
  errorMessage: string | null;
  /** Failed attempts counted against maxAttempts since the task was (re)submitted. */
  attempts: number;
  /**
   * Number of the current (or last) attempt: 0 before the first claim, +1 at every claim.
   * Never goes down, so it fences a late answer of an older attempt (docs/lifecycle.md).
   */
  attempt: number;
  /** The current attempt's lease; all null while the task holds no slot. */
  leaseToken: string | null;
  /** Who holds the lease: `<node id>` of the gateway process (or runner) working on it. */
  leaseHolder: string | null;
  leaseExpiresAt: number | null;
  /** A queued task is not claimed before this time (retry backoff). */
  availableAt: number;
  /** API key id that created the task (null when auth is off). */
  owner: string | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  ttsStartedAt: number | null;
  ttsEndedAt: number | null;
  renderStartedAt: number | null;
  renderEndedAt: number | null;
  finishedAt: number | null;
  /** Segment child: the parent task's id (docs/segments.md); null for every other task. */
  parentId: string | null;
  /** Segment child: 0-based position in the parent's script. */
  segmentIndex: number | null;
  /** Parent of segments: how many there are (a parent is never claimed by a slot). */
  segmentCount: number | null;
  /** Caption option of the request: `burn` burns the captions into the MP4. */
  captions: 'burn' | null;
  /**
   * Language the speech text, sentence splits, captions and preview voice follow: what the
   * request named, or what detection chose at intake (docs/api.md, "Language").
   */
  language: TaskLanguage;
  /** What the request asked for: `auto` (detect) unless it named a language. */
  languageRequested: TaskLanguageRequest;
  /** The name the user gave the task (PATCH /api/tasks/:id); null/absent: the text's first words. */
  title?: string | null;
  /** Delivery options (docs/output.md): applied in one ffmpeg pass after the render; null = as rendered. */
  outputOptions?: OutputOptions | null;
  /** Caption style resolved at intake (preset or inline); null = the configured captions. */
  captionStyle?: CaptionStyle | null;
  /**
   * What the output check found in this task's results (docs/checks.md), oldest first: each
   * finding names the attempt and the slot whose result it was. Empty when every result passed.
   */
  checks: CheckFinding[];
  /**
   * Slots whose result for this task failed the output check (or, for a segment, whose attempt
   * failed): the claim prefers any other slot for the next attempt (docs/lifecycle.md).
   */
  avoidSlots: number[];
}

/** One finding of the output check on a task's result (docs/checks.md). */
export interface CheckFinding {
  /** `output_black`, `output_frozen`, `output_silent`, `output_av_drift` fail a result; `output_clipped` is a warning. */
  code: string;
  /** Seconds into the result where it starts. */
  at: number;
  detail: string;
  /** The attempt whose result it was (0 for a stitched whole, which has no attempt of its own). */
  attempt: number;
  /** The GPU slot that rendered it; null for a stitched whole. */
  slotId: number | null;
}

/** Compatible status vocabulary (docs/lifecycle.md, "Public status") — the finer phase goes in `phase`. */
export type PublicStatus = 'queued' | 'preprocessing' | 'reserved' | 'processing' | 'completed' | 'failed' | 'timeout' | 'canceled';

export function publicStatus(task: Pick<Task, 'state' | 'errorCode'>): PublicStatus {
  switch (task.state) {
    case 'queued':
      return 'queued';
    case 'preparing':
      return 'preprocessing';
    case 'reserved':
      return 'reserved';
    case 'tts':
    case 'rendering':
    case 'collecting':
      return 'processing';
    case 'completed':
      return 'completed';
    case 'canceled':
      return 'canceled';
    case 'failed':
      return task.errorCode === 'render_timeout' ? 'timeout' : 'failed';
  }
}

/**
 * Overall progress 0–100 across all phases. Rendering dominates wall time, so it gets the
 * widest band; the container's own 0..100 is mapped into it.
 */
export function overallProgress(task: Pick<Task, 'state' | 'engineProgress'>): number {
  switch (task.state) {
    case 'queued':
      return 0;
    case 'preparing':
      return 3;
    case 'reserved':
      return 8;
    case 'tts':
      return 12;
    case 'rendering':
      return 30 + Math.round((Math.min(100, Math.max(0, task.engineProgress)) * 60) / 100);
    case 'collecting':
      return 95;
    case 'completed':
      return 100;
    case 'failed':
    case 'canceled':
      return 0;
  }
}

export interface TaskTiming {
  queue_time: number | null;
  tts_time: number | null;
  video_time: number | null;
  total_time: number | null;
}

const secs = (a: number | null, b: number | null): number | null =>
  a === null || b === null ? null : Math.round((b - a) / 10) / 100;

/** Timings in seconds, as the replaced system reported them (plus queue_time). */
export function taskTiming(task: Task, now: number): TaskTiming {
  const end = task.finishedAt ?? (isFinal(task.state) ? task.updatedAt : now);
  return {
    queue_time: secs(task.createdAt, task.startedAt ?? (task.state === 'queued' ? now : null)),
    tts_time: secs(task.ttsStartedAt, task.ttsEndedAt),
    video_time: secs(task.renderStartedAt, task.renderEndedAt),
    total_time: secs(task.createdAt, end),
  };
}
