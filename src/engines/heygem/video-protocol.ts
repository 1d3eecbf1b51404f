/**
 * Pure pieces of the HeyGem video-container protocol (docs/protocol.md): codes, the submit body,
 * reading a query answer and resolving a result path. Timing decisions live in render-timing.ts.
 */
export const VIDEO_CODES = { OK: 10000, BUSY: 10001, BAD_PARAM: 10002, LOCK: 10003, NO_TASK: 10004, SYSTEM: 9999 } as const;

export interface VideoReply {
  code: number;
  success?: boolean;
  msg?: string;
  data?: unknown;
}

export function isVideoReply(v: unknown): v is VideoReply {
  return typeof v === 'object' && v !== null && typeof (v as { code?: unknown }).code === 'number';
}

export function submitBody(code: string, audioName: string, videoName: string): Record<string, unknown> {
  return { audio_url: audioName, video_url: videoName, code, chaofen: 0, watermark_switch: 0, pn: 1 };
}

export type QueryOutcome =
  | { kind: 'running'; progress: number; result: string | null }
  | { kind: 'done'; progress: number; result: string | null; data: Record<string, unknown> }
  | { kind: 'failed'; message: string; data: Record<string, unknown> }
  | { kind: 'unknown' }
  | { kind: 'error'; code: number; message: string };

/** Decide on `status` only: `result` may be filled at progress 90 while status is still 1. */
export function readQuery(reply: VideoReply): QueryOutcome {
  if (reply.code === VIDEO_CODES.NO_TASK) return { kind: 'unknown' };
  if (reply.code !== VIDEO_CODES.OK) return { kind: 'error', code: reply.code, message: reply.msg ?? '' };
  const data = (reply.data ?? {}) as Record<string, unknown>;
  const status = Number(data.status);
  const progress = Number.isFinite(Number(data.progress)) ? Number(data.progress) : 0;
  const result = typeof data.result === 'string' && data.result !== '' ? data.result : null;
  if (status === 2) return { kind: 'done', progress, result, data };
  if (status === 3) return { kind: 'failed', message: String(data.msg ?? reply.msg ?? 'render failed'), data };
  return { kind: 'running', progress, result };
}

/**
 * Map the container's `result` to a host path: `/<code>-r.mp4` is relative to the data dir's
 * temp/ folder; an absolute `/code/data/...` path is inside the mount. Anything else (a path
 * outside the mount, or `..`) is refused — we never read files the container cannot own.
 */
export function resultHostPath(result: string, hostDataDir: string, containerDataDir: string): string | null {
  const mount = containerDataDir.replace(/\/+$/, '');
  let rel: string;
  if (result.startsWith(mount + '/')) rel = result.slice(mount.length + 1);
  else rel = `temp/${result.replace(/^\/+/, '')}`;
  if (rel.split('/').some((part) => part === '..' || part === '')) return null;
  return `${hostDataDir.replace(/\/+$/, '')}/${rel}`;
}

/**
 * Does a failed render's message (status 3, `data.msg`) blame the input — a face or audio the
 * model cannot use, a file it cannot read — rather than the container? Only then is retrying
 * pointless; a container-side failure (out of GPU memory, a crashed worker, its own ~600 s limit)
 * may well succeed on a second try, on this GPU or another. Conservative: unknown wording counts
 * as a container fault, so it is retried (bounded by scheduler.maxAttempts).
 */
export function renderFailureBlamesInput(message: string): boolean {
  return /no face|face not (found|detected)|人脸|未检测|不存在|not exist|no such file|cannot (read|open|decode)|decode|解码|格式|format|参数|invalid (audio|video|input)/i.test(message);
}
