/**
 * Task → JSON for the compatible status route (every old key with its old type, see
 * docs/compatibility.md; the schema is in src/http/schemas.ts) and for webhook payloads, which
 * carry the same status. Pure: no I/O, so it is cheap on the hottest route and unit-testable.
 */
import { basename } from 'node:path';
import { overallProgress, publicStatus, taskTiming, type Task } from './task.js';
import { charCount, firstChars } from './chars.js';
import { outputExtension, type OutputOptions } from './output-options.js';
import type { CaptionStyle } from './caption-style.js';

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

const finalError = (task: Task): boolean => task.state === 'failed' || task.state === 'canceled';

export function outputUrl(task: Task): string | null {
  return task.state === 'completed' && task.outputPath ? `/outputs/${task.id}.${outputExtension(task.outputOptions)}` : null;
}

/** The delivery options as the API names them (null: the render as it is). */
export function presentOutput(o: OutputOptions | null | undefined): Record<string, unknown> | null {
  if (!o) return null;
  const r = o.resolution;
  return {
    aspect: o.aspect,
    resolution: r ? ('width' in r ? `${r.width}x${r.height}` : String(r.height)) : null,
    fit: o.fit,
    background: o.background,
    watermark: o.watermark ? { image: o.watermark.image, position: o.watermark.position, scale: o.watermark.scale, opacity: o.watermark.opacity } : null,
    format: o.format,
    face_box: o.face,
  };
}

/** The caption style as the API names it (snake_case, as requests give it). */
export function presentCaptionStyle(s: CaptionStyle | null | undefined): Record<string, unknown> | null {
  if (!s) return null;
  return {
    name: s.name, font: s.font, size: s.size, color: s.color, outline_color: s.outlineColor, outline: s.outline, box: s.box, box_color: s.boxColor,
    bold: s.bold, position: s.position, max_line_chars: s.maxLineChars, max_line_chars_cjk: s.maxLineCharsCjk, max_lines: s.maxLines, uppercase: s.uppercase,
  };
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
    title: task.title ?? null,
    normalized_text: task.normalizedText,
    language: task.language,
    language_requested: task.languageRequested,
    output: presentOutput(task.outputOptions),
    caption_style: presentCaptionStyle(task.captionStyle),
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

/**
 * The task's HLS playlist (docs/segments.md, "Watch while it renders"): a long script's from its
 * start (until it fails or is canceled), a one-part task's once completed.
 */
export function streamUrl(task: Task): string | null {
  const streamable = task.segmentCount !== null ? task.state !== 'failed' && task.state !== 'canceled' : task.state === 'completed';
  return streamable ? `/api/tasks/${task.id}/stream.m3u8` : null;
}

/** A compact row for lists (/api/tasks, SSE). */
export function presentSummary(task: Task, queuePosition: number | null, now: number): Record<string, unknown> {
  return {
    ...whereItStands(task, queuePosition),
    text: task.text.length > 120 && charCount(task.text) > 120 ? `${firstChars(task.text, 120)}…` : task.text,
    title: task.title ?? null,
    language: task.language,
    ...finalErrorFields(task),
    created_time: iso(task.createdAt),
    finished_time: iso(task.finishedAt),
    timing: taskTiming(task, now),
    result_url: outputUrl(task),
    stream_url: streamUrl(task),
  };
}
