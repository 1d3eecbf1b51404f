/**
 * SpeechEngine for HeyGem's fish-speech TTS container (protocol: docs/protocol.md).
 * The container only reads files under its own data dir, so the reference voice is copied to
 * `<ttsDataDir>/reference/<task>-<random>.wav` (unique per request — the replaced system's
 * per-second names collided) and passed as `/code/data/reference/...`. The copy is removed after.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskError } from '../../domain/errors.js';
import { parseWavHeader } from '../../media/wav.js';
import type { SpeechEngine, SpeechRequest, SpeechResult } from '../ports.js';
import { readJson, request, withTimeout } from './http-json.js';
import { sharedInputName, stageShared } from './stage-input.js';
import { PreparedVoices, referenceTranscript } from './voice-prep.js';

export interface HeygemTtsOptions {
  url: string;
  hostDataDir: string;
  containerDataDir: string;
  /** One synthesis of up to timeoutMs / timeoutPerCharMs characters… */
  timeoutMs: number;
  /** …and this much per character of a longer text. */
  timeoutPerCharMs?: number;
  /** Prepare per-task and default voices through /v1/preprocess_and_tran (voice-prep.ts); absent = raw. */
  prepare?: { lang: 'zh' | 'en'; timeoutMs: number };
  healthTimeoutMs: number;
  params: {
    top_p: number;
    temperature: number;
    repetition_penalty: number;
    max_new_tokens: number;
    chunk_length: number;
    seed?: number;
  };
}

/** The exact /v1/invoke body (docs/protocol.md): is_norm 1 because we normalize ourselves. */
export function invokeBody(text: string, referencePath: string, referenceText: string, p: HeygemTtsOptions['params']): Record<string, unknown> {
  const body: Record<string, unknown> = {
    text,
    format: 'wav',
    top_p: p.top_p,
    max_new_tokens: p.max_new_tokens,
    chunk_length: p.chunk_length,
    repetition_penalty: p.repetition_penalty,
    temperature: p.temperature,
    streaming: false,
    is_norm: 1,
    reference_audio: referencePath,
    reference_text: referenceText,
  };
  if (p.seed !== undefined) body.seed = p.seed;
  return body;
}

/** Smallest speech we accept: a reply shorter than this is a broken synthesis, not speech. */
const MIN_SPEECH_SEC = 0.2;

export class HeygemTtsEngine implements SpeechEngine {
  readonly kind = 'heygem';
  /** Prepared voices of this container, by content hash (null: voices are sent raw). */
  readonly prepared: PreparedVoices | null;

  constructor(private readonly opts: HeygemTtsOptions) {
    this.prepared = opts.prepare ? new PreparedVoices({ url: opts.url, hostDataDir: opts.hostDataDir, containerDataDir: opts.containerDataDir, ...opts.prepare }) : null;
  }

  /** The synthesis timeout, scaled with the text asked for. */
  timeoutFor(text: string): number {
    return Math.max(this.opts.timeoutMs, (this.opts.timeoutPerCharMs ?? 0) * text.length);
  }

  async synthesize(req: SpeechRequest): Promise<SpeechResult> {
    // A library voice keeps one copy per content hash in the container's dir, reused by later
    // requests; so does a prepared per-task or default voice (voice-prep.ts); any other
    // reference is a per-request copy removed afterwards.
    const prepared = req.referenceKey === undefined && this.prepared ? await this.prepared.prepare(req.referenceAudio, req.signal) : null;
    const shared = req.referenceKey !== undefined || prepared !== null;
    const name = prepared ? prepared.name : shared ? sharedInputName(req.referenceKey!, '.wav') : `${req.taskId}-${randomBytes(4).toString('hex')}.wav`;
    const refDir = join(this.opts.hostDataDir, 'reference');
    const hostRef = join(refDir, name);
    await mkdir(refDir, { recursive: true });
    if (req.referenceKey !== undefined) await stageShared(req.referenceAudio, refDir, name);
    else if (!prepared) await copyFile(req.referenceAudio, hostRef);
    try {
      const params = req.seed !== undefined && this.opts.params.seed === undefined ? { ...this.opts.params, seed: req.seed } : this.opts.params;
      // one reference file: one transcript (never the `|||`-joined parts, voice-prep.ts)
      const body = invokeBody(req.text, `${this.opts.containerDataDir}/reference/${name}`, referenceTranscript(prepared?.text ?? req.referenceText ?? ''), params);
      const timeoutMs = this.timeoutFor(req.text);
      const res = await request(
        `${this.opts.url}/v1/invoke`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: withTimeout(req.signal, timeoutMs) },
        'TTS',
      ).catch((err: unknown) => {
        // A synthesis that outlives its timeout is a TTS failure worth one more try.
        if (err instanceof TaskError && err.code === 'engine_unreachable' && /no answer in time/.test(err.message))
          throw new TaskError('tts_failed', `TTS did not finish within ${timeoutMs} ms`, { retryable: true });
        throw err;
      });
      const bytes = Buffer.from(await res.arrayBuffer());
      const wav = res.status === 200 ? parseWavHeader(bytes) : null;
      if (!wav) throw this.replyError(res.status, bytes);
      if (wav.durationSec < MIN_SPEECH_SEC) throw new TaskError('tts_failed', `TTS returned ${wav.durationSec.toFixed(2)} s of audio`, { retryable: true });
      const tmp = `${req.outPath}.tmp-${randomBytes(4).toString('hex')}`;
      await writeFile(tmp, bytes);
      await rename(tmp, req.outPath);
      return { audioPath: req.outPath, durationSec: wav.durationSec };
    } finally {
      if (!shared) await rm(hostRef, { force: true });
    }
  }

  private replyError(status: number, bytes: Buffer): TaskError {
    let detail = `HTTP ${status}, ${bytes.length} bytes, not a WAV`;
    try {
      const j = JSON.parse(bytes.toString('utf8')) as { message?: unknown; error?: unknown };
      detail = `HTTP ${status}: ${String(j.message ?? j.error ?? 'error')}`;
    } catch {
      /* not JSON: keep the generic detail */
    }
    // 5xx may pass (overload, CUDA hiccup); a 4xx means our request was wrong and will stay so.
    return new TaskError('tts_failed', `TTS failed (${detail})`, { retryable: status >= 500 || status === 200 });
  }

  async health(signal: AbortSignal = new AbortController().signal): Promise<boolean> {
    try {
      const res = await fetch(`${this.opts.url}/v1/health`, { method: 'POST', signal: withTimeout(signal, this.opts.healthTimeoutMs) });
      await readJson(res);
      return res.ok;
    } catch {
      return false;
    }
  }
}
