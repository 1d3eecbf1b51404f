/**
 * Task → JSON for the compatible status route (every old key with its old type, see
 * docs/compatibility.md; the schema is in src/http/schemas.ts) and for webhook payloads, which
 * carry the same status. Pure: no I/O, so it is cheap on the hottest route and unit-testable.
 */
import { basename } from 'node:path';
import { overallProgress, publicStatus, taskTiming, type Task } from './task.js';
import { charCount, firstChars } from './chars.js';

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

const finalError = (task: Task): boolean => task.state === 'failed' || task.state === 'canceled';

export function outputUrl(task: Task): string | null {
  return task.state === 'completed' && task.outputPath ? `/outputs/${task.id}.mp4` : null;
}

/** The fields status and list rows share, in the order the compatible shape has them. */
function whereItStands(task: Task, queuePosition: number | null) {
  return {
    task_id: task.id,
    status: publicStatus(task),
    phase: task.state,
    progress: overallProgress(task),
    gpu_id: task.slotId,
    queue_position: queuePosition,
  };
}

/** `error` only on a final failure: old clients read a non-null error as "failed". */
function finalErrorFields(task: Task) {
  const final = finalError(task);
  return { error: final ? task.errorMessage : null, error_code: final ? task.errorCode : null };
}

export function presentStatus(task: Task, queuePosition: number | null, now: number): Record<string, unknown> {
  const resultUrl = outputUrl(task);
  const speechReady = task.audioPath !== null && task.ttsEndedAt !== null && basename(task.audioPath) === `${task.id}.wav`;
  return {
    ...whereItStands(task, queuePosition),
    ...finalErrorFields(task),
    last_error: !finalError(task) && task.errorCode ? { code: task.errorCode, message: task.errorMessage } : null,
    input_text: task.text,
    normalized_text: task.normalizedText,
    language: task.language,
    language_requested: task.languageRequested,
    video_name: task.videoName,
    reference_audio: task.referenceAudio ? basename(task.referenceAudio) : null,
    generated_audio_url: speechReady ? `/outputs/${task.id}.wav` : null,
    attempts: task.attempts,
    created_time: iso(task.createdAt),
    start_time: iso(task.startedAt),
    completed_time: iso(task.state === 'completed' ? task.finishedAt : null),
    finished_time: iso(task.finishedAt),
    timing: taskTiming(task, now),
    result: resultUrl
      ? { code: 10000, msg: 'success', data: { ...(task.engineData ?? {}), result_url: resultUrl } }
      : null,
    result_url: resultUrl,
    download_url: resultUrl ? `/api/download/${task.id}` : null,
    // The replaced app's Vimeo fields, always present with their old types; the publishing
    // module overwrites them once a video is published.
    vimeo_uploaded: false,
    vimeo_url: null,
    vimeo_upload_time: null,
    checks: task.checks.map((c) => ({ code: c.code, at: c.at, detail: c.detail, attempt: c.attempt, gpu_id: c.slotId })),
  };
}

/** A compact row for lists (/api/tasks, SSE). */
export function presentSummary(task: Task, queuePosition: number | null, now: number): Record<string, unknown> {
  return {
    ...whereItStands(task, queuePosition),
    text: task.text.length > 120 && charCount(task.text) > 120 ? `${firstChars(task.text, 120)}…` : task.text,
    language: task.language,
    ...finalErrorFields(task),
    created_time: iso(task.createdAt),
    finished_time: iso(task.finishedAt),
    timing: taskTiming(task, now),
    result_url: outputUrl(task),
  };
}
