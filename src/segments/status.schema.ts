/**
 * JSON schema of the segment fields of the status (status.ts), added to the status schema as
 * optional keys: a one-segment task only gets `captions`.
 */
type Json = Record<string, unknown>;
const n = (s: Json): Json => ({ ...s, type: [s.type as string, 'null'] });
const str = (description: string): Json => ({ type: 'string', description });
const num = (description: string): Json => ({ type: 'number', description });

const segmentSchema: Json = {
  type: 'object',
  description: 'One segment of a long script, run like a task on any GPU',
  additionalProperties: true,
  properties: {
    index: { type: 'integer', description: '0-based position in the script' },
    task_id: str('Id of the segment (its own status at /api/status/{id})'),
    status: str('Public status of the segment'),
    phase: str('Fine state of the segment'),
    gpu_id: n({ type: 'integer', description: 'GPU slot working on it (or that did)' }),
    attempts: { type: 'integer', description: 'Failed attempts so far' },
    speech_seconds: n(num('Length of its speech, pause included')),
    text: str('Its part of the script, as written'),
    start_time: n(str('ISO 8601')),
    tts_started_time: n(str('ISO 8601')),
    tts_ended_time: n(str('ISO 8601')),
    render_started_time: n(str('ISO 8601')),
    finished_time: n(str('ISO 8601')),
    timing: { type: 'object', additionalProperties: true },
    error: n(str('Final failure')),
    last_error: n({ type: 'object', additionalProperties: true, description: 'A fault being retried' }),
  },
};

export const SEGMENT_STATUS_PROPERTIES: Record<string, Json> = {
  captions: n({
    type: 'object',
    description: 'Caption links once the speech is ready (every task)',
    properties: { srt: str('/api/tasks/{id}/captions.srt'), vtt: str('/api/tasks/{id}/captions.vtt') },
    additionalProperties: true,
  }),
  stream_url: n(str('HLS playlist (/api/tasks/{id}/stream.m3u8): a long script while it renders and after; a one-part task once completed')),
  speech_seconds: n(num('Long scripts: total speech length once every segment spoke')),
  rendered_speech_seconds: num('Long scripts: speech seconds rendered so far (progress is measured in these)'),
  segment_count: { type: 'integer', description: 'Long scripts: number of segments' },
  segments: { type: 'array', items: segmentSchema, description: 'Long scripts: the segments, in script order' },
};

/** The status schema plus the optional segment keys. */
export function withSegmentFields(schema: Json): Json {
  return { ...schema, properties: { ...(schema.properties as Json), ...SEGMENT_STATUS_PROPERTIES } };
}
