/** The phase timeline of a task page, from its status (pure). */
import type { TaskStatus } from './types';

export interface PhaseStep {
  key: string;
  label: string;
  state: 'done' | 'active' | 'pending' | 'failed';
  seconds: number | null;
}

const ORDER = ['queued', 'preparing', 'tts', 'rendering', 'completed'];
const LABELS: Record<string, string> = { queued: 'Queued', preparing: 'Preparing', tts: 'Speech (TTS)', rendering: 'Rendering', completed: 'Done' };

/** reserved counts as preparing, collecting as rendering: fewer, clearer steps. */
function stepOf(phase: string): string {
  if (phase === 'reserved') return 'preparing';
  if (phase === 'collecting') return 'rendering';
  return phase;
}

export function phaseTimeline(s: Pick<TaskStatus, 'phase' | 'status' | 'timing'>): PhaseStep[] {
  const failed = s.phase === 'failed' || s.phase === 'canceled';
  const current = failed ? null : ORDER.indexOf(stepOf(s.phase));
  const seconds: Record<string, number | null> = {
    queued: s.timing.queue_time,
    preparing: null,
    tts: s.timing.tts_time,
    rendering: s.timing.video_time,
    completed: s.phase === 'completed' ? s.timing.total_time : null,
  };
  return ORDER.map((key, i) => {
    let state: PhaseStep['state'];
    if (failed) state = seconds[key] !== null && key !== 'completed' ? 'done' : key === 'completed' ? 'failed' : 'pending';
    else if (s.phase === 'completed' || i < current!) state = 'done';
    else if (i === current) state = 'active';
    else state = 'pending';
    return { key, label: key === 'completed' && failed ? (s.phase === 'canceled' ? 'Canceled' : 'Failed') : LABELS[key], state, seconds: seconds[key] };
  });
}
