/**
 * Accepting a script (docs/segments.md): one task as before when its speech fits the target,
 * else a parent row plus one child row per segment — cut from the original text at sentence
 * ends, each normalized on its own. The parent is created first, children in script order (the
 * queue order, so the segment whose offset is known first is rendered first).
 */
import { newTaskId } from '../domain/ids.js';
import type { Task } from '../domain/task.js';
import type { NewTask } from '../store/task-store.js';
import { planSegments } from './split.js';
import { spokenUnits } from './spoken-units.js';
import type { Normalize } from '../language/speech-text.js';

export interface SegmentsConfig {
  enabled: boolean;
  targetSeconds: number;
  charsPerSecond: number;
  maxSegments: number;
}

/**
 * Speaking rate learned from completed speech (spoken units per second, spoken-units.ts), a slow moving
 * average starting at the configured prior, so estimates follow the voice actually in use.
 */
export class SpeakingRate {
  private rate: number;
  constructor(prior: number) {
    this.rate = prior;
  }
  get charsPerSecond(): number {
    return this.rate;
  }
  observe(task: Pick<Task, 'normalizedText' | 'audioDurationSec' | 'parentId' | 'segmentCount'>, pauseSec: number): void {
    if (task.segmentCount !== null || !task.normalizedText || !task.audioDurationSec) return;
    const speech = task.audioDurationSec - (task.parentId ? pauseSec : 0);
    if (speech < 1) return;
    const observed = spokenUnits(task.normalizedText) / speech;
    if (observed > 3 && observed < 60) this.rate = this.rate * 0.8 + observed * 0.2;
  }
}

export interface CreateDeps {
  /** Stores the rows (tasks/lifecycle.ts `insert`): one task, or a parent and its segments. */
  insert: (task: NewTask, segments?: readonly NewTask[]) => Promise<Task>;
  normalize: Normalize;
  config: SegmentsConfig;
  rate: SpeakingRate;
  /** GPUs that can take work now (with several, segments shorten toward the end: split.ts). */
  gpus: () => Promise<number>;
  /** Shortest segment worth a render's fixed cost (render-cost.ts); 0 = no floor. */
  minSeconds?: () => number;
}

/** Store a new task (one row, or a parent with its segments); returns the task the client sees. */
export async function createTask(d: CreateDeps, t: NewTask & { normalizedText: string }): Promise<Task> {
  const plan = d.config.enabled
    ? planSegments(t.text, { language: t.language, targetSeconds: d.config.targetSeconds, charsPerSecond: d.rate.charsPerSecond, maxSegments: d.config.maxSegments, gpus: await d.gpus().catch(() => 1), minSeconds: d.minSeconds?.() })
    : null;
  if (!plan || plan.texts.length < 2) return d.insert(t);
  const segments = plan.texts.map((text, i) => ({
    id: newTaskId(t.createdAt),
    text,
    normalizedText: d.normalize(text, t.language),
    videoPath: t.videoPath,
    videoName: t.videoName,
    owner: t.owner,
    createdAt: t.createdAt,
    parentId: t.id,
    segmentIndex: i,
    language: t.language,
    languageRequested: t.languageRequested,
  }));
  return d.insert(t, segments);
}
