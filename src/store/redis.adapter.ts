/**
 * TaskStore on Redis, for several gateway processes (on several hosts) sharing one queue.
 * Claims and transitions are Lua scripts (redis.scripts.ts), so they are atomic across
 * processes exactly like the SQLite adapter's are within one. Queue positions are ZRANK on a
 * sorted set (O(log n)). Passes the same conformance suite as the SQLite adapter.
 *
 * Why not BullMQ's job model: a task here is a long-lived record with a compare-and-set state
 * machine, history and queries, not a fire-and-forget job; BullMQ's lock/retry semantics would
 * be a second state machine beside ours. Plain Redis structures keep one.
 */
import { Redis } from 'ioredis';
import type { Task, TaskState } from '../domain/task.js';
import { CLAIM, CREATE, PATCH, TRANSITION } from './redis.scripts.js';
import type { NewTask, TaskEvent, TaskListFilter, TaskPatch, TaskStore } from './task-store.js';

const CLAIM_SCAN = 64;

export interface RedisStoreOptions {
  url: string;
  /** Key prefix; one gateway deployment per prefix. @defaultValue heygem */
  prefix?: string;
}

function blankTask(t: NewTask): Omit<Task, 'seq'> {
  return {
    id: t.id,
    state: 'queued',
    slotId: null,
    text: t.text,
    normalizedText: t.normalizedText ?? null,
    videoPath: t.videoPath ?? null,
    videoName: t.videoName ?? null,
    referenceAudio: null,
    audioPath: null,
    audioDurationSec: null,
    outputPath: null,
    engineProgress: 0,
    renderSubmitted: false,
    engineData: null,
    errorCode: null,
    errorMessage: null,
    attempts: 0,
    availableAt: 0,
    owner: t.owner ?? null,
    createdAt: t.createdAt,
    updatedAt: t.createdAt,
    startedAt: null,
    ttsStartedAt: null,
    ttsEndedAt: null,
    renderStartedAt: null,
    renderEndedAt: null,
    finishedAt: null,
  };
}

/** cjson turns an empty object into {} but may drop nulls; normalize what comes back. */
function parseTask(json: string): Task {
  const t = JSON.parse(json) as Task;
  const blank = blankTask({ id: t.id, text: t.text, createdAt: t.createdAt });
  return { ...blank, ...t, engineData: t.engineData && Object.keys(t.engineData).length ? t.engineData : t.engineData ?? null };
}

export class RedisTaskStore implements TaskStore {
  readonly shared = true;
  private readonly redis: Redis;
  private readonly p: string;

  get prefix(): string {
    return this.p;
  }

  constructor(o: RedisStoreOptions) {
    this.redis = new Redis(o.url, { maxRetriesPerRequest: 3, lazyConnect: false });
    this.p = o.prefix ?? 'heygem';
  }

  private k(...parts: string[]): string {
    return [this.p, ...parts].join(':');
  }

  async create(t: NewTask): Promise<Task> {
    const event = JSON.stringify({ taskId: t.id, at: t.createdAt, state: 'queued', slotId: null, errorCode: null, message: 'accepted' });
    const json = (await this.redis.eval(CREATE, 6, this.k('t', t.id), this.k('q'), this.k('all'), this.k('s', 'queued'), this.k('e', t.id), this.k('seq'), JSON.stringify(blankTask(t)), event)) as string;
    return parseTask(json);
  }

  async get(id: string): Promise<Task | undefined> {
    const json = await this.redis.get(this.k('t', id));
    return json ? parseTask(json) : undefined;
  }

  async claimNext(slotId: number, now: number): Promise<Task | undefined> {
    const json = (await this.redis.eval(CLAIM, 1, this.k('q'), now, slotId, CLAIM_SCAN, this.p)) as string | null;
    return json ? parseTask(json) : undefined;
  }

  async transition(id: string, from: TaskState | readonly TaskState[], to: TaskState, patch: TaskPatch, now: number, message?: string): Promise<Task | undefined> {
    const allowed = (typeof from === 'string' ? [from] : from).join(',');
    const json = (await this.redis.eval(TRANSITION, 3, this.k('t', id), this.k('q'), this.k('e', id), allowed, to, JSON.stringify(patch), now, message ?? patch.errorMessage ?? '', this.p)) as string | null;
    return json ? parseTask(json) : undefined;
  }

  async patch(id: string, state: TaskState, patch: TaskPatch, now: number): Promise<boolean> {
    return (await this.redis.eval(PATCH, 1, this.k('t', id), state, JSON.stringify(patch), now)) === 1;
  }

  async queuePosition(id: string): Promise<number | null> {
    const rank = await this.redis.zrank(this.k('q'), id);
    return rank === null ? null : rank + 1;
  }

  async queueSize(): Promise<number> {
    return this.redis.zcard(this.k('q'));
  }

  private async many(ids: string[]): Promise<Task[]> {
    if (!ids.length) return [];
    const rows = await this.redis.mget(ids.map((id) => this.k('t', id)));
    return rows.filter((r): r is string => r !== null).map(parseTask);
  }

  async listQueued(limit: number): Promise<Task[]> {
    return this.many(await this.redis.zrange(this.k('q'), 0, limit - 1));
  }

  async listInStates(states: readonly TaskState[]): Promise<Task[]> {
    const ids = states.length ? await this.redis.sunion(...states.map((s) => this.k('s', s))) : [];
    return (await this.many(ids)).sort((a, b) => a.seq - b.seq);
  }

  /**
   * History queries walk the id index newest first and filter in the client: fine for a
   * dashboard page; heavy analytics belong on the SQLite/SQL side.
   */
  async list(f: TaskListFilter): Promise<{ items: Task[]; total: number }> {
    const ids = f.states?.length ? await this.redis.sunion(...f.states.map((s) => this.k('s', s))) : await this.redis.zrevrange(this.k('all'), 0, -1);
    const q = f.q?.toLowerCase();
    const all = (await this.many(ids))
      .filter((t) => (!q || t.text.toLowerCase().includes(q)) && (f.from === undefined || t.createdAt >= f.from) && (f.to === undefined || t.createdAt < f.to) && (f.owner === undefined || t.owner === f.owner))
      .sort((a, b) => b.seq - a.seq);
    const offset = f.offset ?? 0;
    return { items: all.slice(offset, offset + Math.min(f.limit ?? 50, 500)), total: all.length };
  }

  async events(id: string): Promise<TaskEvent[]> {
    return (await this.redis.lrange(this.k('e', id), 0, -1)).map((j) => {
      const e = JSON.parse(j) as Partial<TaskEvent>;
      return { taskId: id, at: e.at!, state: e.state!, slotId: e.slotId ?? null, errorCode: e.errorCode ?? null, message: e.message || null };
    });
  }

  async countByState(): Promise<Partial<Record<TaskState, number>>> {
    const states = ['queued', 'preparing', 'reserved', 'tts', 'rendering', 'collecting', 'completed', 'failed', 'canceled'] as const;
    const counts = await Promise.all(states.map((st) => this.redis.scard(this.k('s', st))));
    return Object.fromEntries(states.map((st, i) => [st, counts[i]]).filter(([, n]) => (n as number) > 0));
  }

  async purgeFinished(before: number, limit = 10_000): Promise<number> {
    const ids = await this.redis.sunion(this.k('s', 'completed'), this.k('s', 'failed'), this.k('s', 'canceled'));
    const old = (await this.many(ids)).filter((t) => (t.finishedAt ?? t.updatedAt) < before).slice(0, limit);
    if (!old.length) return 0;
    const m = this.redis.multi();
    for (const t of old) {
      m.del(this.k('t', t.id), this.k('e', t.id));
      m.zrem(this.k('all'), t.id);
      m.srem(this.k('s', t.state), t.id);
    }
    await m.exec();
    return old.length;
  }

  async nextAvailableAt(): Promise<number | null> {
    const head = await this.listQueued(CLAIM_SCAN);
    return head.length ? Math.min(...head.map((t) => t.availableAt)) : null;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Remove every key of this prefix (tests). */
  async flush(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.p}:*`, 'COUNT', 500);
      if (keys.length) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
}
