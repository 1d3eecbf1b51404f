/**
 * Response schemas of the compatible routes. They do two jobs: they document the API (the
 * OpenAPI at /docs is generated from them) and Fastify serializes with them. The serializer
 * drops keys a schema does not declare and coerces values to the declared type, so every key
 * is declared with its exact type (nullable where it can be null) and objects stay open
 * (`additionalProperties: true`) for keys other modules add. Field meanings and the old types
 * they keep: docs/compatibility.md.
 */

type Json = Record<string, unknown>;

export const str = (description?: string): Json => ({ type: 'string', ...(description ? { description } : {}) });
export const num = (description?: string): Json => ({ type: 'number', ...(description ? { description } : {}) });
export const int = (description?: string): Json => ({ type: 'integer', ...(description ? { description } : {}) });
export const bool = (description?: string): Json => ({ type: 'boolean', ...(description ? { description } : {}) });
/** `{type: [t, 'null']}`: @fastify/swagger turns it into OpenAPI 3.0 `nullable: true`. */
export const nullable = (s: Json): Json => ({ ...s, type: [s.type as string, 'null'] });

/**
 * An open object. Every listed key is `required` by default: the serializer then fails loudly
 * (a 500) instead of silently dropping a key a client relies on.
 */
export function object(description: string, properties: Record<string, Json>, required: string[] = Object.keys(properties)): Json {
  return { type: 'object', description, properties, required, additionalProperties: true };
}

export const timingSchema = object(
  'Durations in seconds, null until known',
  {
    queue_time: nullable(num('Seconds from submit to the start of work')),
    tts_time: nullable(num('Seconds of speech synthesis')),
    video_time: nullable(num('Seconds of rendering in the video container')),
    total_time: nullable(num('Seconds from submit to the end (so far, while running)')),
  },
);

const LANGUAGE = { type: 'string', enum: ['zh', 'en'], description: 'Language the task follows (speech text, sentence splits, captions, preview voice): the one requested, or the one detected at intake' };
const LANGUAGE_REQUESTED = { type: 'string', enum: ['auto', 'zh', 'en'], description: 'What the request asked for (`auto`: detect from the text)' };

const STATUS_WORDS = ['queued', 'preprocessing', 'reserved', 'processing', 'completed', 'failed', 'timeout', 'canceled'];

export const generateAcceptedSchema = object('Task accepted and queued', {
  success: bool('Always true on 202'),
  task_id: str('Id to poll with /api/status/{id}'),
  message: str(),
  status_url: str('Relative URL of the task status'),
  queue_position: nullable(int('1-based position in the queue (null once claimed)')),
  language: LANGUAGE,
  language_requested: LANGUAGE_REQUESTED,
  removed_characters: {
    type: 'array',
    description: 'Only with text.unsupportedScripts: strip — the characters removed before the task was stored',
    items: object('A removed character', { char: str(), index: int('UTF-16 offset in the submitted text'), script: str('Unicode script, e.g. Devanagari'), code_point: str('U+0928') }),
  },
}, ['success', 'task_id', 'message', 'status_url', 'queue_position', 'language', 'language_requested']);

export const taskStatusSchema = object('The status of one task (the replaced system\u2019s shape, plus new keys)', {
  task_id: str(),
  status: { type: 'string', enum: STATUS_WORDS, description: 'Old vocabulary clients poll for; the finer phase is in `phase`' },
  phase: str('queued, preparing, reserved, tts, rendering, collecting, completed, failed or canceled'),
  progress: num('0..100 over all phases'),
  gpu_id: nullable(int('GPU slot id once reserved')),
  queue_position: nullable(int('1-based position while queued')),
  error: nullable(str('Human message, only on a final failure')),
  error_code: nullable(str('Stable machine code, only on a final failure')),
  last_error: nullable(object('A retryable fault being retried (the task is not failed)', { code: str(), message: str() })),
  input_text: str('The submitted text'),
  title: nullable(str('The name given to the task (PATCH /api/tasks/:id); null: show the text\u2019s first words')),
  normalized_text: nullable(str('What the voice says')),
  language: LANGUAGE,
  language_requested: LANGUAGE_REQUESTED,
  output: nullable({ type: 'object', additionalProperties: true, description: 'Delivery options (aspect, resolution, fit, background, watermark, format, face_box; docs/output.md); null = the render as it is' }),
  caption_style: nullable({ type: 'object', additionalProperties: true, description: 'Caption style of the task (preset or inline, resolved; docs/output.md); null = the configured captions' }),
  video_name: nullable(str('Sanitized name of the uploaded face video')),
  reference_audio: nullable(str('File name of the reference voice')),
  generated_audio_url: nullable(str('URL of the synthesized speech WAV once ready')),
  attempts: int('Claims so far'),
  created_time: str('ISO 8601'),
  start_time: nullable(str('ISO 8601, when work started')),
  completed_time: nullable(str('ISO 8601, only when completed')),
  finished_time: nullable(str('ISO 8601, when the task ended in any final state')),
  timing: timingSchema,
  result: nullable(
    object('The container\u2019s answer, as the replaced system passed it on', {
      code: int('10000 = success'),
      msg: str(),
      data: object('The video container\u2019s query data plus `result_url`', { result_url: str('/outputs/<id>.mp4') }),
    }),
  ),
  result_url: nullable(str('/outputs/<id>.mp4 once completed')),
  download_url: nullable(str('/api/download/<id> once completed')),
  vimeo_uploaded: bool('True once the video was published to Vimeo (false when not configured)'),
  vimeo_url: nullable(str('Vimeo link once published')),
  vimeo_upload_time: nullable(str('ISO 8601, when it was published')),
  checks: {
    type: 'array',
    description: 'What the output check found in this task\u2019s results, oldest first (docs/checks.md); empty when every result passed',
    items: object('One finding', {
      code: str('output_black, output_frozen, output_silent, output_av_drift (fail the result) or output_clipped (a warning)'),
      at: num('Seconds into the result'),
      detail: str(),
      attempt: int('The attempt whose result it was (0: the stitched whole of a long script)'),
      gpu_id: nullable(int('The slot that rendered it')),
    }),
  },
});

export const taskSummarySchema = object('A task in a list', {
  task_id: str(),
  status: { type: 'string', enum: STATUS_WORDS },
  phase: str(),
  progress: num(),
  gpu_id: nullable(int()),
  queue_position: nullable(int()),
  text: str('The text, cut to 120 characters'),
  title: nullable(str('The name given to the task; null when none')),
  language: LANGUAGE,
  error: nullable(str()),
  error_code: nullable(str()),
  created_time: str(),
  finished_time: nullable(str()),
  timing: timingSchema,
  result_url: nullable(str()),
  stream_url: nullable(str('HLS playlist: a long script while it renders (and after), a one-part task once completed')),
});

export const taskListSchema = object('A page of tasks, newest first', {
  tasks: { type: 'array', items: taskSummarySchema },
  total: int('Tasks matching the filter'),
  limit: int(),
  offset: int(),
});

export const taskActionSchema = (description: string, withUrl: boolean): Json =>
  object(description, { success: bool(), task_id: str(), status: str(), ...(withUrl ? { status_url: str() } : {}) });

export const slotSchema = object('One GPU slot', {
  busy: bool(),
  current_task: nullable(str('Task the GPU works for (null when idle, or another key\u2019s task)')),
  tasks: { type: 'array', items: str(), description: 'Tasks holding the slot (only your own when scoped)' },
  healthy: bool(),
  consecutive_failures: int(),
  degraded: nullable(
    object('Set while the slot takes no work because its results failed the output check in a row (docs/checks.md)', {
      since: str('ISO 8601'),
      code: str('The code of the last bad result'),
      reason: str(),
      next_probe: nullable(str('ISO 8601, when the next probe render may run')),
    }),
  ),
  last_health_check: nullable({ type: 'object', additionalProperties: true, description: 'Last probe of the containers' }),
  memory_used: str('Old type: "1234 MiB", or "N/A" when unknown'),
  memory_total: str('"24576 MiB", or "N/A" when unknown'),
  gpu_utilization: num('Old type: percent, 0 when unknown'),
  memory_used_mb: nullable(num('MiB used, null when unknown')),
  memory_total_mb: nullable(num('MiB total, null when unknown')),
  gpu_utilization_pct: nullable(num('Percent, null when unknown')),
  temperature: nullable(num('°C')),
  telemetry_unavailable: nullable(str('Why there is no GPU sample')),
  video_port: nullable(int('Host port of the video container (null for the preview engine)')),
  tts_port: nullable(int('Host port of the TTS container (null for the preview engine)')),
  video_url: nullable(str()),
  tts_url: nullable(str()),
  engine: str('heygem or preview'),
  node: str('Gateway node that drives this slot (node.id)'),
  local: bool('Driven by the node that answered'),
  last_heartbeat: str('Last report of its node (ISO time)'),
  stale: bool('Its node has not reported within the lease: down or cut off'),
  remote: bool('Driven by a remote runner (docs/runners.md)'),
  runner_host: nullable(str('Host name a remote runner reported')),
  runner_version: nullable(str('Version a remote runner reported')),
});

export const queueSchema = object('GPU slots and the queue (the replaced system\u2019s shape, plus new keys)', {
  gpus: { type: 'object', description: 'Slot id → slot', additionalProperties: slotSchema },
  queue: {
    type: 'array',
    description: 'Waiting submissions in order (at most 100); a long script\u2019s parts are listed under it',
    items: object('A waiting task', {
      task_id: nullable(str('Null for another API key\u2019s task')),
      position: int('1-based'),
      queued_time: str('ISO 8601'),
      wait_seconds: num(),
      text: nullable(str('First 50 characters + "..." (null for another key\u2019s task)')),
      mine: bool('Submitted with the calling key (always true when auth is off)'),
      attempts: int(),
      segment_count: nullable(int('A long script: how many parts it was cut into (null for a one-part task)')),
      parts: {
        type: ['array', 'null'],
        description: 'A long script: its waiting parts, in script order (null for a one-part task). The parts are not entries of the queue themselves',
        items: object('A waiting part', { index: int('0-based place in the script'), task_id: nullable(str('Null for another API key\u2019s task')) }),
      },
    }, ['task_id', 'position', 'queued_time', 'wait_seconds', 'text', 'mine', 'attempts']),
  },
  queue_size: int('Waiting submissions, every key (a long script counts once, not once per part)'),
});

export const infoSchema = object('Service facts and limits', {
  service: str('Service name'),
  name: str('Same as service'),
  version: str(),
  node: str('This gateway node (node.id)'),
  port: int('Port the API listens on'),
  gpus: {
    type: 'object',
    description: 'Slot id → container ports',
    additionalProperties: object('Ports of one slot', { video_port: nullable(int()), tts_port: nullable(int()) }),
  },
  endpoints: { type: 'array', items: str(), description: '"METHOD /path" of the main routes' },
  engine: str(),
  slots: int(),
  pipelining: bool(),
  limits: object('Input limits', {
    max_text_chars: int('Characters (code points)'),
    max_upload_bytes: int(),
    max_video_seconds: num(),
    video_formats: { type: 'array', items: str() },
  }),
  preview_notice: nullable(str()),
  started_at: str(),
  uptime_seconds: num(),
});

export const healthSchema = object('Health (the replaced system\u2019s keys plus slot, store and disk health)', {
  status: { type: 'string', enum: ['starting', 'healthy', 'degraded', 'unhealthy'], description: '`starting` until the first probe of every slot finished' },
  service: str(),
  timestamp: str('ISO 8601'),
  ready: bool('Same verdict as /api/health/ready'),
  reasons: { type: 'array', items: str(), description: 'Why not healthy or not ready' },
  slots: { type: 'array', items: object('Health of a slot of this node', { id: int(), healthy: bool(), state: str('unknown, healthy, unhealthy or degraded'), busy: bool(), degraded: bool('Its results failed the output check in a row: no work until a probe render passes or `slots clear`') }) },
  healthy_slots: int(),
  deployment: {
    type: 'array',
    description: 'Every slot of the deployment with the node that drives it',
    items: object('A slot of the deployment', { id: int(), node: str(), healthy: bool(), busy: bool(), last_heartbeat: str(), stale: bool() }),
  },
  queue_size: nullable(int()),
  store: object('Store reachability', { ok: bool(), error: str() }, ['ok']),
  disk: object('Free space in the data dir', { ok: bool(), free_bytes: nullable(num()), min_free_bytes: num() }),
}, ['status', 'service', 'timestamp']); // only the old keys are promised: others may evolve

export const liveSchema = object('Liveness: the process answers', { status: { type: 'string', enum: ['live'] }, service: str(), uptime_seconds: num(), timestamp: str() });

export const readySchema = object('Readiness: store, disk and at least one healthy slot', {
  status: { type: 'string', enum: ['ready', 'not_ready'] },
  service: str(),
  reasons: { type: 'array', items: str() },
  timestamp: str(),
});

export const normalizeSchema = object('The spoken form of a text', {
  normalized: str(),
  changes: { type: 'array', items: { type: 'object', additionalProperties: true } },
  language: LANGUAGE,
  unsupported: { type: 'array', description: 'Characters the speech engine cannot speak: {char, index, script, code_point}', items: { type: 'object', additionalProperties: true } },
});

export const speechPreviewSchema = object('The speech of a text, without a video (POST /api/speech-preview)', {
  normalized_text: str(),
  language: LANGUAGE,
  language_requested: { type: 'string', enum: ['auto', 'zh', 'en'] },
  cached: { type: 'boolean', description: 'true when the WAV came from the cache (no synthesis)' },
  duration_sec: { type: 'number' },
  audio_url: { type: 'string', description: 'GET it for the WAV (audio/wav; `?access_token=` works for <audio src>)' },
});

const CALLBACK_URL = { type: 'string', description: 'Optional URL that gets a signed POST when the task ends (docs/webhooks.md)' };

/** Request bodies of POST /api/generate, for the docs only: the route reads the body itself. */
const languageField = { type: 'string', enum: ['auto', 'zh', 'en'], default: 'auto', description: 'Language of the text: `auto` detects it (mixed text is normal: Chinese with English names and the reverse); regional tags such as zh-CN or en-US are accepted (docs/api.md, "Language")' };
const captionsField = { type: 'string', enum: ['burn', 'off'], description: 'Captions: always as SRT/WebVTT tracks; `burn` also burns them into the MP4 (docs/segments.md)' };
/** Library ids a task may use instead of uploads (docs/avatars.md). */
const libraryIdFields = {
  avatar_id: { type: 'string', description: 'A library avatar (av_…) as the face; not together with `video`' },
  voice_id: { type: 'string', description: 'A library voice (vo_…) to speak with (default: the avatar\'s own voice, else the upload\'s sound)' },
};

export const generateRequestBody: Json = {
  description: 'The text to speak and an optional face video. All three encodings are validated the same way.',
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        properties: {
          text: { type: 'string', description: 'Text to speak (required; limit in /api/info `limits.max_text_chars`)' },
          video: { type: 'string', format: 'binary', description: 'Face video: mp4, avi, mov or mkv (optional; the voice is cloned from its sound)' },
          captions: captionsField,
          language: languageField,
          ...libraryIdFields,
          callback_url: CALLBACK_URL,
        },
        required: ['text'],
      },
    },
    'application/x-www-form-urlencoded': {
      schema: { type: 'object', properties: { text: { type: 'string' }, ...libraryIdFields, callback_url: CALLBACK_URL, captions: captionsField, language: languageField }, required: ['text'] },
    },
    'application/json': {
      schema: { type: 'object', properties: { text: { type: 'string' }, ...libraryIdFields, callback_url: CALLBACK_URL, captions: captionsField, language: languageField }, required: ['text'] },
    },
  },
};

/** GET /api/status/:id: the library avatar and voice the task used, by name (null: none or deleted). */
export function withLibraryFields(schema: Json): Json {
  const s = schema as { properties: Record<string, Json>; required: string[] };
  return {
    ...schema,
    properties: {
      ...s.properties,
      avatar: nullable(object('The library avatar the task used', { id: str(), name: str(), poster_url: str('Its poster frame (JPEG): the player\u2019s poster') })),
      voice: nullable(object('The library voice the task used', { id: str(), name: str() })),
    },
    required: [...s.required, 'avatar', 'voice'],
  };
}
