/**
 * The avatar and voice library in the UI: shapes of /api/avatars and /api/voices, and an upload
 * that reports its progress (fetch cannot, so this one request uses XMLHttpRequest with the
 * same API key and the same error shape as `api`).
 */
import { ApiFailure, getApiKey } from './api';

export interface AvatarView {
  id: string;
  name: string;
  shared: boolean;
  voice_id: string | null;
  duration_sec: number;
  width: number | null;
  height: number | null;
  bytes: number;
  poster_url: string;
  preview_url: string;
  /** What the face check found at registration; null for avatars registered before it. */
  face_check: {
    face: { x: number; y: number; w: number; h: number; score: number } | null;
    fps: number;
    width: number;
    height: number;
  } | null;
  created_time: string;
}

export interface VoiceView {
  id: string;
  name: string;
  shared: boolean;
  source: 'audio' | 'video' | 'avatar';
  duration_sec: number;
  reference_text: string;
  preprocessed: boolean;
  sample_url: string;
  created_time: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** POST a form, calling onProgress(0..1) while the body goes up. */
export function uploadWithProgress<T>(path: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    const key = getApiKey();
    if (key) xhr.setRequestHeader('authorization', `Bearer ${key}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiFailure(0, 'network', 'The gateway could not be reached'));
    xhr.onload = () => {
      let body: Record<string, unknown> | null = null;
      try {
        body = xhr.responseText ? (JSON.parse(xhr.responseText) as Record<string, unknown>) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as T);
      const { error, code, ...extra } = body ?? {};
      reject(new ApiFailure(xhr.status, String(code ?? `http_${xhr.status}`), String(error ?? `Upload failed (${xhr.status})`), extra));
    };
    xhr.send(form);
  });
}
