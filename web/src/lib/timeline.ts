/** The phase timeline of a task page, from its status (pure). */
import type { TaskStatus, Timing } from './types';

export interface PhaseStep {
  key: string;
  /** The step's name in the catalog (`phase.*`): the step, or the outcome on the last one. */
  label: PhaseLabel;
  state: 'done' | 'active' | 'pending' | 'failed';
  /** Time spent in the step, when the gateway reports it (see `timing`). */
  seconds: number | null;
}

const ORDER = ['queued', 'preparing', 'tts', 'rendering', 'collecting', 'completed'] as const;
export type PhaseLabel = `phase.${(typeof ORDER)[number] | 'failed' | 'canceled'}`;

/** `reserved` (a slot is held, nothing runs yet) is shown as part of preparing. */
function stepOf(phase: string): string {
  return phase === 'reserved' ? 'preparing' : phase;
}

export function phaseTimeline(s: Pick<TaskStatus, 'phase' | 'status' | 'timing'>): PhaseStep[] {
  const ended = s.phase === 'failed' || s.phase === 'canceled';
  const current = ended ? -1 : ORDER.indexOf(stepOf(s.phase) as (typeof ORDER)[number]);
  const seconds: Record<string, number | null> = {
    queued: s.timing.queue_time,
    preparing: null,
    tts: s.timing.tts_time,
    rendering: s.timing.video_time,
    collecting: null,
    completed: s.phase === 'completed' ? s.timing.total_time : null,
  };
  // An ended task went at least as far as its last timed step: everything up to it is done.
  const reached = ended ? Math.max(-1, ...ORDER.slice(0, -1).map((k, i) => (seconds[k] !== null ? i : -1))) : -1;
  return ORDER.map((key, i) => {
    let state: PhaseStep['state'];
    if (ended) state = key === 'completed' ? 'failed' : i <= reached ? 'done' : 'pending';
    else if (s.phase === 'completed' || i < current) state = 'done';
    else if (i === current) state = 'active';
    else state = 'pending';
    const label: PhaseLabel = key === 'completed' && ended ? (s.phase === 'canceled' ? 'phase.canceled' : 'phase.failed') : `phase.${key}`;
    return { key, label, state, seconds: key === 'completed' && ended ? s.timing.total_time : seconds[key] };
  });
}

/**
 * The gateway times queue, TTS and render separately; what remains of the total is the
 * orchestration around them (preparing the inputs, collecting and checking the result).
 * Only meaningful once a task completed.
 */
export function overheadSeconds(t: Timing): number | null {
  if (t.total_time === null || t.queue_time === null || t.tts_time === null || t.video_time === null) return null;
  return Math.max(0, t.total_time - t.queue_time - t.tts_time - t.video_time);
}
