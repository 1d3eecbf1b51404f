/** Test data shared by the unit tests (not bundled: only *.test.ts import it). */
import type { TaskSummary } from './types';

export const row = (id: string, status: string, extra: Partial<TaskSummary> = {}): TaskSummary => ({
  task_id: id,
  status,
  phase: status,
  progress: 0,
  gpu_id: null,
  queue_position: null,
  text: `text ${id}`,
  error: null,
  error_code: null,
  created_time: '2026-01-01T00:00:00Z',
  finished_time: null,
  timing: { queue_time: null, tts_time: null, video_time: null, total_time: null },
  result_url: null,
  ...extra,
});
