/**
 * The TaskStore port: durable tasks, their attempts and leases, transitions (with timestamps),
 * the queue, and the registry of GPU slots across gateway nodes. Adapters: SQLite (embedded
 * default, one process per data dir — sqlite.adapter.ts) and PostgreSQL (several nodes —
 * postgres.adapter.ts). Both pass the conformance suite in task-store.conformance.ts.
 *
 * Transitions are compare-and-set on the current state and, for the worker's own moves, on
 * the current attempt's fence (attempt number + token): two runners, a runner and a cancel,
 * or a reaper and a late worker can never both move the same task — the loser gets
 * `undefined`. See docs/lifecycle.md.
 */
import type { ErrorCode } from '../domain/errors.js';
import type { Fence, Task, TaskLanguage, TaskLanguageRequest, TaskState } from '../domain/task.js';
import type { PrunedRows } from './record-prune.js';
import type { OutputOptions } from '../domain/output-options.js';
import type { CaptionStyle } from '../domain/caption-style.js';

export interface NewTask {
  id: string;
  text: string;
  normalizedText?: string | null;
  videoPath?: string | null;
  videoName?: string | null;
  owner?: string | null;
  createdAt: number;
  /** Segments (docs/segments.md): a child names its parent and position; a parent its count. */
  parentId?: string | null;
  segmentIndex?: number | null;
  segmentCount?: number | null;
  captions?: 'burn' | null;
  /** Language the task follows (resolved at intake) and what the request asked for. @defaultValue en / auto */
  language?: TaskLanguage;
  languageRequested?: TaskLanguageRequest;
  /** Delivery options and caption style (docs/output.md); null = as rendered / configured captions. */
  outputOptions?: OutputOptions | null;
  captionStyle?: CaptionStyle | null;
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
    | 'checks'
    | 'avoidSlots'
  >
>;

export interface TaskEvent {
  taskId: string;
  /** The attempt the event belongs to (0 before the first claim). */
  attempt: number;
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

/** What a transition requires of the row besides being in one of `from`. */
export interface TransitionGuard {
  from: TaskState | readonly TaskState[];
  /** The caller's attempt: refused unless it is still the current attempt with this token. */
  fence?: Fence;
  /** Reaper: only when the lease expired at or before this time (a heartbeat in between wins). */
  leaseExpiredBy?: number;
}

export interface ClaimRequest {
  slotId: number;
  /** Node (gateway process or remote runner) that will hold the lease. */
  holder: string;
  now: number;
  leaseMs: number;
  /**
   * A task whose `avoidSlots` names this slot is taken only once it has been ready this long
   * (another slot had the time to take it); 0 or absent: no preference (docs/lifecycle.md,
   * "Another GPU for a retry").
   */
  preferOthersMs?: number;
}

/** Outcome of a heartbeat: `ok` extended the lease; `lost` = canceled, reaped or taken over. */
export type HeartbeatResult = 'ok' | 'lost';

/** One GPU slot as the node that drives it last reported it (shared across nodes). */
export interface SlotRecord {
  slotId: number;
  nodeId: string;
  /** Last time the owning node refreshed this row (ms). */
  heartbeatAt: number;
  /** Node-reported facts: health, busy, current task, ports, GPU stats (JSON). */
  info: Record<string, unknown>;
}

export interface TaskStore {
  /** true when several gateway processes share this store (PostgreSQL). */
  readonly shared: boolean;
  create(task: NewTask): Promise<Task>;
  get(id: string): Promise<Task | undefined>;
  /**
   * Atomically take the oldest queued task whose availableAt has passed (never a parent of
   * segments — its children are the work): → preparing on
   * `slotId`, as a new attempt (attempt + 1) with a fresh random token held by `holder` until
   * `now + leaseMs`.
   */
  claimNext(req: ClaimRequest): Promise<Task | undefined>;
  /**
   * Compare-and-set transition; records an event. undefined when the guard does not hold.
   * Moving to queued or a final state ends the lease (token, holder, expiry cleared).
   */
  transition(id: string, guard: TransitionGuard, to: TaskState, patch: TaskPatch, now: number, message?: string): Promise<Task | undefined>;
  /** Update non-state fields (progress, submitted flag) of the current, unfinished attempt. */
  patch(id: string, fence: Fence, patch: TaskPatch, now: number): Promise<boolean>;
  /** Extend the lease of the current attempt to now + leaseMs. */
  heartbeat(id: string, fence: Fence, now: number, leaseMs: number): Promise<HeartbeatResult>;
  /**
   * A restarted holder takes its own live attempt back: same attempt number, fresh token,
   * new expiry. undefined when the fence no longer holds or the lease has expired at `now`.
   */
  reclaim(id: string, fence: Fence, holder: string, now: number, leaseMs: number): Promise<Task | undefined>;
  /** The segment children of a parent task, by segment index. */
  listSegments(parentId: string): Promise<Task[]>;
  /** Tasks holding a slot whose lease expired at or before `now` (oldest first). */
  listExpired(now: number, limit: number): Promise<Task[]>;
  /** Tasks holding a slot under a lease of `holder`. */
  listHeldBy(holder: string): Promise<Task[]>;
  /** 1-based position among queued tasks, null when not queued. */
  queuePosition(id: string): Promise<number | null>;
  queueSize(): Promise<number>;
  /** Queued tasks in order (first `limit`). */
  listQueued(limit: number): Promise<Task[]>;
  listInStates(states: readonly TaskState[]): Promise<Task[]>;
  /** Top-level tasks only: segment children are listed through their parent (listSegments). */
  list(filter: TaskListFilter): Promise<{ items: Task[]; total: number }>;
  /** Tasks created before `to` that were unfinished at or finished after `from` (analytics). */
  listForStats(from: number, to: number): Promise<Task[]>;
  events(id: string): Promise<TaskEvent[]>;
  /** Number of tasks in each state (metrics). */
  countByState(): Promise<Partial<Record<TaskState, number>>>;
  /**
   * One batch of record retention: delete up to `limit` final top-level tasks that finished
   * before `before`, with everything they left behind (store/record-prune.ts); rows deleted per table.
   */
  purgeFinished(before: number, limit?: number): Promise<PrunedRows>;
  /**
   * A user's delete: the given top-level tasks that are final (with no active segment) go with
   * everything they left behind, like retention's; the others stay. Rows deleted per table.
   */
  deleteTasks(ids: readonly string[]): Promise<PrunedRows>;
  /** Name a task (null: back to its text's first words); false when no such task. */
  setTitle(id: string, title: string | null): Promise<boolean>;
  /** Earliest availableAt among queued tasks (for the scheduler's wake-up), null if none waits. */
  nextAvailableAt(): Promise<number | null>;

  /**
   * Register `nodeId` as the driver of `slotIds`. Refuses (returns the conflicting records)
   * when another node refreshed one of them within `staleMs`; registers nothing then.
   */
  registerSlots(nodeId: string, slotIds: readonly number[], now: number, staleMs: number): Promise<SlotRecord[]>;
  /** Refresh this node's slot rows (heartbeat + reported facts). */
  reportSlots(nodeId: string, slots: ReadonlyArray<{ slotId: number; info: Record<string, unknown> }>, now: number): Promise<void>;
  /** Every slot of the deployment, by id. */
  listSlots(): Promise<SlotRecord[]>;
  /** A node leaving cleanly drops its slot rows. */
  unregisterSlots(nodeId: string): Promise<void>;

  /**
   * Changes made by *other* processes sharing the store (PostgreSQL LISTEN/NOTIFY): the
   * listener gets the task id. A store no other process writes to never calls it.
   */
  onRemoteChange(listener: (taskId: string) => void): () => void;
  close(): Promise<void>;
}
