/** Pure formatting helpers. */
export const FINAL_STATUSES = new Set(['completed', 'failed', 'timeout', 'canceled']);

export function isFinal(status: string): boolean {
  return FINAL_STATUSES.has(status);
}

export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s % 60)} s`;
}

export function formatAge(iso: string, now: number): string {
  const s = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (s < 60) return `${Math.floor(s)} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(0)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(0)} MiB`;
  return `${(n / 1024 ** 3).toFixed(1)} GiB`;
}

/** Which form field an API error code concerns (errors are shown next to it). */
export function fieldForError(code: string): 'text' | 'video' | 'form' {
  if (code.startsWith('text_')) return 'text';
  if (code.startsWith('video_') || code.startsWith('upload_') || code === 'too_many_files' || code === 'unexpected_file') return 'video';
  return 'form';
}

/** Client-side check of a chosen face video before upload (the server checks content again). */
export function checkVideoFile(file: { name: string; size: number }, formats: string[], maxBytes: number): string | null {
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  if (!formats.includes(ext)) return `Unsupported format .${ext}; use ${formats.join(', ')}`;
  if (file.size > maxBytes) return `File is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}`;
  return null;
}

/** What the user can do about an API error, where the code says it (shown after the message). */
const HINTS: Record<string, string> = {
  auth_required: 'This gateway needs an API key: set one with the “API key” button at the top.',
  auth_invalid: 'The saved API key was not accepted: check it with the “API key” button at the top.',
  forbidden: 'The API key lacks the permission for this.',
  rate_limited: 'Too many requests: wait a moment and try again.',
  quota_exceeded: 'The API key has used its quota.',
  network: 'Check that the gateway is running and reachable.',
};

/** An API error as one line for the page: message, stable code, and a hint when there is one. */
export function errorText(code: string, message: string): string {
  const hint = HINTS[code];
  return `${message} (${code})${hint ? ` — ${hint}` : ''}`;
}

/** How long a queued task has waited; sub-second waits read as "< 1 s", not "0 ms". */
export function formatWait(s: number): string {
  return s < 1 ? '< 1 s' : formatSeconds(s);
}

/** "about 1 min 20 s (50.0 s – 2 min 5 s)"; null when there is no estimate. */
export function formatEta(t: { eta_seconds?: number | null; eta_low?: number | null; eta_high?: number | null }): string | null {
  if (t.eta_seconds === null || t.eta_seconds === undefined) return null;
  const range = t.eta_low != null && t.eta_high != null && t.eta_high > t.eta_low ? ` (${formatWait(t.eta_low)} – ${formatSeconds(t.eta_high)})` : '';
  return `about ${formatWait(t.eta_seconds)}${range}`;
}
