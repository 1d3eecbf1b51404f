/**
 * Listen before render: the speech of a text in a voice, without a video (POST
 * /api/speech-preview, docs/api.md). One slot's speech engine speaks it (espeak-ng on the
 * preview engine, the first slot's TTS container on heygem); the WAV is kept on disk under the
 * hash of what determines it (normalized text, language, voice content), so listening again —
 * or listening and then rendering the same words in the UI — costs nothing. The cache is bounded
 * in bytes: the least recently used files go first.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '../domain/errors.js';
import type { SpeechEngine } from '../engines/ports.js';
import type { SpeechLanguage } from '../text/language.js';

export interface PreviewVoice {
  /** Host path of the reference WAV. */
  path: string;
  /** Content hash of the reference (library voices), the cache key part. */
  hash: string;
  text: string;
}

export interface SpeechPreviewRequest {
  /** Speech-ready (normalized) text. */
  text: string;
  language: SpeechLanguage;
  /** null: the slot's default reference voice. */
  voice: PreviewVoice | null;
  signal: AbortSignal;
}

export interface SpeechPreviewResult {
  /** The cache key: 64 hex characters, also the file's name. */
  key: string;
  path: string;
  cached: boolean;
  durationSec: number;
}

export interface SpeechPreviewOptions {
  /** null on a node that drives no slot (API-only, or remote runners only): previews are refused. */
  engine: SpeechEngine | null;
  /** Where the WAVs are kept (created on first use). */
  dir: string;
  /** Reference voice when the request names none. */
  defaultVoice: string;
  maxCacheBytes: number;
  /** Reads a WAV's length (a cache hit is not re-synthesized to learn it). */
  duration(path: string): Promise<number>;
  /** Counts every answer by cache outcome (metrics). */
  onAnswer?(cache: 'hit' | 'miss'): void;
}

/** 64 MiB: about 30 minutes of 16 kHz mono speech, hundreds of previews. */
export const SPEECH_PREVIEW_CACHE_BYTES = 64 * 1024 * 1024;

export const KEY_PATTERN = /^[0-9a-f]{64}$/;

/** The cache key: everything that changes the sound, nothing else. */
export function previewKey(engineKind: string, text: string, language: SpeechLanguage, voiceHash: string): string {
  return createHash('sha256').update(JSON.stringify([engineKind, language, voiceHash, text])).digest('hex');
}

export class SpeechPreview {
  /** Identical requests in flight share one synthesis. */
  private readonly inFlight = new Map<string, Promise<SpeechPreviewResult>>();
  constructor(private readonly o: SpeechPreviewOptions) {}

  fileOf(key: string): string | null {
    return KEY_PATTERN.test(key) ? join(this.o.dir, `${key}.wav`) : null;
  }

  async speak(r: SpeechPreviewRequest): Promise<SpeechPreviewResult> {
    const engine = this.o.engine;
    if (!engine) throw new DomainError('speech_preview_unavailable', 'unavailable', 'This gateway drives no speech engine of its own (API-only, or remote runners only): previews are not available here');
    const key = previewKey(engine.kind, r.text, r.language, r.voice?.hash ?? 'default');
    const path = join(this.o.dir, `${key}.wav`);
    const hit = await stat(path).catch(() => null);
    if (hit?.isFile() && hit.size > 0) {
      const now = new Date();
      await utimes(path, now, now).catch(() => undefined); // recently used: evicted last
      this.o.onAnswer?.('hit');
      return { key, path, cached: true, durationSec: await this.o.duration(path) };
    }
    const running = this.inFlight.get(key);
    if (running) {
      const res = await running;
      this.o.onAnswer?.('hit');
      return { ...res, cached: true };
    }
    const job = this.synthesize(engine, key, path, r).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, job);
    const res = await job;
    this.o.onAnswer?.('miss');
    return res;
  }

  private async synthesize(engine: SpeechEngine, key: string, path: string, r: SpeechPreviewRequest): Promise<SpeechPreviewResult> {
    await mkdir(this.o.dir, { recursive: true });
    const out = await engine.synthesize({
      taskId: `preview-${key.slice(0, 16)}`,
      text: r.text,
      language: r.language,
      referenceAudio: r.voice?.path ?? this.o.defaultVoice,
      referenceText: r.voice?.text,
      referenceKey: r.voice?.hash,
      outPath: path,
      signal: r.signal,
    });
    await this.evict(path);
    return { key, path, cached: false, durationSec: out.durationSec };
  }

  /** Oldest-used first until the cache fits; the file just written stays. */
  private async evict(keep: string): Promise<void> {
    const names = (await readdir(this.o.dir).catch(() => [] as string[])).filter((n) => n.endsWith('.wav'));
    const files = (
      await Promise.all(names.map(async (n) => {
        const p = join(this.o.dir, n);
        const s = await stat(p).catch(() => null);
        return s ? { p, size: s.size, used: s.mtimeMs } : null;
      }))
    ).filter((f): f is { p: string; size: number; used: number } => f !== null);
    let total = files.reduce((a, f) => a + f.size, 0);
    for (const f of files.sort((a, b) => a.used - b.used)) {
      if (total <= this.o.maxCacheBytes) break;
      if (f.p === keep) continue;
      await rm(f.p, { force: true });
      total -= f.size;
    }
  }
}
