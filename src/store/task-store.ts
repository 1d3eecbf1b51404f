/**
 * The TaskStore port: durable tasks, their transitions (with timestamps) and the queue.
 * Adapters: SQLite (embedded default, sqlite.adapter.ts). Every adapter passes the shared
 * conformance suite in task-store.conformance.ts.
 *
 * Transitions are compare-and-set on the current state, so two runners (or a runner and a
 * cancel request) can never both move the same task: the loser gets `undefined`.
 */
import type { ErrorCode } from '../domain/errors.js';
import type { Task, TaskState } from '../domain/task.js';

export interface NewTask {
  id: string;
  text: string;
  normalizedText?: string | null;
  videoPath?: string | null;
  videoName?: string | null;
  owner?: string | null;
  createdAt: number;
}

/** Fields a transition (or a progress update) may set alongside the state. */
export type TaskPatch = Partial<
  Pick<
    Task,
    | 'slotId'
    | 'normalizedText'
    | 'referenceAudio'
    | 'audioPath'
    | 'audioDurationSec'
    | 'outputPath'
    | 'engineProgress'
    | 'renderSubmitted'
    | 'engineData'
    | 'errorCode'
    | 'errorMessage'
    | 'attempts'
    | 'startedAt'
    | 'ttsStartedAt'
    | 'ttsEndedAt'
    | 'renderStartedAt'
    | 'renderEndedAt'
    | 'finishedAt'
    | 'availableAt'
  >
>;

export interface TaskEvent {
  taskId: string;
  at: number;
  state: TaskState;
  errorCode: ErrorCode | null;
  message: string | null;
  slotId: number | null;
}

export interface TaskListFilter {
  states?: TaskState[];
  /** Case-insensitive substring of the input text. */
  q?: string;
  from?: number;
  to?: number;
  owner?: string;
  limit?: number;
  offset?: number;
}

export interface TaskStore {
  create(task: NewTask): Promise<Task>;
  get(id: string): Promise<Task | undefined>;
  /** Atomically take the oldest queued task whose availableAt has passed: → preparing on `slotId`. */
  claimNext(slotId: number, now: number): Promise<Task | undefined>;
  /** Compare-and-set transition; records an event. undefined when the task is not in `from`. */
  transition(id: string, from: TaskState | readonly TaskState[], to: TaskState, patch: TaskPatch, now: number, message?: string): Promise<Task | undefined>;
  /** Update non-state fields (progress, submitted flag) of a task that is still in `state`. */
  patch(id: string, state: TaskState, patch: TaskPatch, now: number): Promise<boolean>;
  /** 1-based position among queued tasks, null when not queued. O(log n). */
  queuePosition(id: string): Promise<number | null>;
  queueSize(): Promise<number>;
  /** Queued tasks in order (first `limit`). */
  listQueued(limit: number): Promise<Task[]>;
  listInStates(states: readonly TaskState[]): Promise<Task[]>;
  list(filter: TaskListFilter): Promise<{ items: Task[]; total: number }>;
  events(id: string): Promise<TaskEvent[]>;
  /** Number of tasks in each state (metrics). */
  countByState(): Promise<Partial<Record<TaskState, number>>>;
  /** Delete final tasks (and their events) that finished before `before`; returns how many. */
  purgeFinished(before: number, limit?: number): Promise<number>;
  /** Earliest availableAt among queued tasks (for the scheduler's wake-up), null if none waits. */
  nextAvailableAt(): Promise<number | null>;
  close(): Promise<void>;
}
