/** Shapes of the gateway's JSON (see src/http/presenters.ts on the server). */
export interface TaskSummary {
  task_id: string;
  status: string;
  phase: string;
  progress: number;
  gpu_id: number | null;
  queue_position: number | null;
  text: string;
  error: string | null;
  error_code: string | null;
  created_time: string;
  finished_time: string | null;
  timing: Timing;
  result_url: string | null;
  /** The name given to the task (PATCH /api/tasks/:id); null: the text's first words (lib/title.ts). */
  title?: string | null;
  /** The library avatar the task uses (docs/avatars.md), absent on older servers. */
  avatar_id?: string | null;
  poster_url?: string | null;
  /** Estimated seconds until the task ends, with a range; absent on live-event rows. */
  eta_seconds?: number | null;
  eta_low?: number | null;
  eta_high?: number | null;
}

export interface Timing {
  queue_time: number | null;
  tts_time: number | null;
  video_time: number | null;
  total_time: number | null;
}

export interface TaskStatus extends Omit<TaskSummary, 'text'> {
  input_text: string;
  normalized_text: string | null;
  video_name: string | null;
  generated_audio_url: string | null;
  download_url: string | null;
  attempts: number;
  start_time: string | null;
  last_error: { code: string; message: string } | null;
  /** Caption tracks once the speech exists (docs/segments.md). */
  captions?: { srt: string; vtt: string } | null;
  /** HLS playlist: a long script while it renders (and after), a one-part task once completed. */
  stream_url?: string | null;
  /** Long scripts only. */
  segment_count?: number;
  segments?: SegmentView[];
  speech_seconds?: number | null;
  rendered_speech_seconds?: number;
  /** The text's language (`zh` or `en`, detected when the task asked for `auto`); absent on older servers. */
  language?: string | null;
  /** What the task asked for: auto, zh or en. */
  language_requested?: string | null;
  /** The library avatar and voice it used (absent on older servers, null when none). */
  avatar?: { id: string; name: string; poster_url: string } | null;
  voice?: { id: string; name: string } | null;
  /** What the output check found in the task's results (absent on older servers, empty when all passed). */
  checks?: CheckFinding[];
}

/** One finding of the output check (docs/checks.md). */
export interface CheckFinding {
  code: string;
  /** Seconds into the result. */
  at: number;
  detail: string;
  attempt: number;
  gpu_id: number | null;
}

/** One segment of a long script. */
export interface SegmentView {
  index: number;
  task_id: string;
  status: string;
  phase: string;
  gpu_id: number | null;
  attempts: number;
  speech_seconds: number | null;
  text: string;
  start_time: string | null;
  tts_started_time: string | null;
  tts_ended_time: string | null;
  render_started_time: string | null;
  finished_time: string | null;
  error: string | null;
  last_error: { code: string; message: string } | null;
}

export interface SlotView {
  busy: boolean;
  current_task: string | null;
  tasks: string[];
  healthy: boolean;
  /** Its results failed the output check in a row: no new work until a probe render passes or `slots clear` (absent on older servers). */
  degraded?: { since: string; code: string; reason: string; next_probe: string | null } | null;
  last_health_check: { at: string; ok: boolean; tts: boolean; video: boolean } | null;
  /** Old types kept for the replaced app's clients ("1234 MiB" / "N/A", 0 when unknown). */
  memory_used: string;
  memory_total: string;
  gpu_utilization: number;
  /** Typed values, null when unknown. */
  memory_used_mb: number | null;
  memory_total_mb: number | null;
  gpu_utilization_pct: number | null;
  temperature?: number | null;
  telemetry_unavailable: string | null;
  video_port: number | null;
  tts_port: number | null;
  video_url: string | null;
  tts_url: string | null;
  engine: string;
  /** The gateway node that drives the slot, when it last reported, and whether it went silent. */
  node?: string;
  local?: boolean;
  last_heartbeat?: string;
  stale?: boolean;
  /** Remote runner slots (docs/runners.md): the host and version the runner reported. */
  remote?: boolean;
  runner_host?: string | null;
  runner_version?: string | null;
}

export interface QueueView {
  gpus: Record<string, SlotView>;
  /** `task_id` and `text` are null for other API keys' tasks (positions are shared, ids and texts are not). */
  queue: Array<{ task_id: string | null; position: number; queued_time: string; wait_seconds: number; text: string | null; mine: boolean }>;
  queue_size: number;
}

export interface InfoView {
  engine: string;
  slots: number;
  limits: { max_text_chars: number; max_upload_bytes: number; max_video_seconds: number; video_formats: string[] };
  preview_notice: string | null;
}
