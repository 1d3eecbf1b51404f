/**
 * Segment fields of the status JSON (docs/segments.md). Every task gets caption links once
 * its speech is known; a parent also gets its segments (state, GPU, times) and progress by
 * rendered speech seconds. A one-segment task keeps every compatible field as it was.
 */
import { streamUrl } from '../domain/presenters.js';
import { isFinal, overallProgress, publicStatus, taskTiming, type Task } from '../domain/task.js';

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
const round = (n: number) => Math.round(n * 100) / 100;

/** Speech seconds rendered so far (a rendering segment counts by its engine's progress). */
export function renderedSpeech(children: Task[]): { rendered: number; total: number | null } {
  let rendered = 0;
  for (const c of children) {
    const d = c.audioDurationSec ?? 0;
    rendered += c.state === 'completed' ? d : c.state === 'rendering' || c.state === 'collecting' ? (d * c.engineProgress) / 100 : 0;
  }
  const total = children.every((c) => c.audioDurationSec !== null) ? children.reduce((a, c) => a + c.audioDurationSec!, 0) : null;
  return { rendered, total };
}

export function presentSegment(c: Task, now: number): Record<string, unknown> {
  return {
    index: c.segmentIndex,
    task_id: c.id,
    status: publicStatus(c),
    phase: c.state,
    gpu_id: c.slotId,
    attempts: c.attempts,
    speech_seconds: c.audioDurationSec === null ? null : round(c.audioDurationSec),
    text: c.text,
    start_time: iso(c.startedAt),
    tts_started_time: iso(c.ttsStartedAt),
    tts_ended_time: iso(c.ttsEndedAt),
    render_started_time: iso(c.renderStartedAt),
    finished_time: iso(c.finishedAt),
    timing: taskTiming(c, now),
    error: isFinal(c.state) && c.state !== 'completed' ? c.errorMessage : null,
    last_error: c.errorCode && c.state !== 'completed' ? { code: c.errorCode, message: c.errorMessage } : null,
  };
}

export function segmentStatusFields(task: Task, children: Task[], now: number): Record<string, unknown> {
  const speechKnown = task.ttsEndedAt !== null || task.state === 'completed';
  const captions = speechKnown ? { srt: `/api/tasks/${task.id}/captions.srt`, vtt: `/api/tasks/${task.id}/captions.vtt` } : null;
  const stream_url = streamUrl(task);
  if (task.segmentCount === null) return { captions, stream_url };
  const { rendered, total } = renderedSpeech(children);
  const share = task.state === 'rendering' ? (total ? rendered / total : children.filter((c) => c.state === 'completed').length / Math.max(1, children.length)) : null;
  return {
    captions,
    stream_url,
    progress: share === null ? overallProgress(task) : overallProgress({ state: 'rendering', engineProgress: Math.floor(share * 100) }),
    speech_seconds: total === null ? null : round(total),
    rendered_speech_seconds: round(rendered),
    segment_count: task.segmentCount,
    segments: children.map((c) => presentSegment(c, now)),
  };
}
