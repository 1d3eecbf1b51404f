/**
 * Reference voices prepared as HeyGem's own client prepares them (docs/protocol.md): the TTS
 * container's `/v1/preprocess_and_tran` denoises a voice once and transcribes it (with the
 * heygem-asr container), and synthesis then uses the returned file and transcript — it clones
 * better than a raw clip with an empty transcript.
 *
 * The route deletes the uploaded original, and for clips of 20 s or more leaves its output
 * inside the container (not on the volume): so a copy under a random name is uploaded, and the
 * result is kept on the volume under the voice's content hash (`prep-<sha256>.wav` plus its
 * transcript in `prep-<sha256>.txt`), made once per hash and container and reused by every later
 * synthesis (file retention removes copies unused for a day).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readJson, request, withTimeout } from './http-json.js';

export interface PreprocessTarget {
  url: string;
  hostDataDir: string;
  containerDataDir: string;
  timeoutMs: number;
  lang: 'zh' | 'en';
}

interface PreprocessReply {
  code?: unknown;
  msg?: unknown;
  asr_format_audio_url?: unknown;
  reference_audio_text?: unknown;
}

export class PreprocessError extends Error {}

/**
 * One call of the route. Returns the transcript as the container gives it (parts joined by
 * `|||`) and the host path of its normalized audio when that is on the shared volume (null when
 * it stayed inside the container). The caller owns that file.
 */
export async function preprocessReference(t: PreprocessTarget, wav: string, signal?: AbortSignal): Promise<{ text: string; hostOut: string | null }> {
  const name = `pre-${randomBytes(8).toString('hex')}.wav`;
  const refDir = join(t.hostDataDir, 'reference');
  await mkdir(refDir, { recursive: true });
  await copyFile(wav, join(refDir, name));
  try {
    const res = await request(
      `${t.url}/v1/preprocess_and_tran`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ format: 'wav', reference_audio: `reference/${name}`, lang: t.lang }),
        signal: withTimeout(signal ?? new AbortController().signal, t.timeoutMs),
      },
      'TTS',
    ).catch((err: unknown) => {
      throw new PreprocessError((err as Error).message);
    });
    const body = (await readJson(res).catch(() => null)) as PreprocessReply | null;
    if (!res.ok || !body || body.code !== 0) throw new PreprocessError(`HTTP ${res.status}${body?.msg ? `: ${String(body.msg).slice(0, 200)}` : ''}`);
    const text = typeof body.reference_audio_text === 'string' ? body.reference_audio_text : '';
    const url = typeof body.asr_format_audio_url === 'string' ? body.asr_format_audio_url : '';
    const mount = t.containerDataDir.replace(/\/+$/, '');
    const rel = url.startsWith(mount + '/') ? url.slice(mount.length + 1) : null;
    const hostOut = rel && !rel.split('/').some((p) => p === '..' || p === '') ? join(t.hostDataDir, rel) : null;
    return { text, hostOut: hostOut && (await stat(hostOut).then((s) => s.isFile(), () => false)) ? hostOut : null };
  } finally {
    await rm(join(refDir, name), { force: true }); // the container deletes it; not always
  }
}

/**
 * The transcript to send with ONE reference file. The route returns the clip's sentences joined
 * by `|||`, and fish-speech splits `reference_text` on that separator to pair each part with a
 * reference file of its own: with a single file, the parts must be one text, joined by a space.
 */
export function referenceTranscript(raw: string): string {
  return raw
    .split('|||')
    .map((p) => p.trim())
    .filter(Boolean)
    .join(' ');
}

export interface PreparedVoice {
  /** File name under `<ttsDataDir>/reference/`. */
  name: string;
  text: string;
}

/** sha256 of a file, streamed. */
async function contentHash(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** A failed preparation is tried again after this long (the ASR container may come back). */
const RETRY_FAILED_MS = 60_000;

export class PreparedVoices {
  private readonly inFlight = new Map<string, Promise<PreparedVoice>>();
  private readonly failedAt = new Map<string, number>();
  /** Calls of the route made by this process (tests and logs). */
  calls = 0;

  constructor(private readonly t: PreprocessTarget) {}

  /**
   * The prepared copy of `wav` on this container, made on first use. Null when the container
   * could not prepare it (no ASR container, an error): the caller then sends the raw voice with
   * no transcript, as before, and the next try comes after a minute.
   */
  async prepare(wav: string, signal?: AbortSignal): Promise<PreparedVoice | null> {
    const hash = await contentHash(wav);
    const failed = this.failedAt.get(hash);
    if (failed !== undefined && Date.now() - failed < RETRY_FAILED_MS) return null;
    let p = this.inFlight.get(hash);
    if (!p) {
      p = this.load(hash, wav, signal).finally(() => this.inFlight.delete(hash));
      this.inFlight.set(hash, p);
    }
    return p.then(
      (v) => {
        this.failedAt.delete(hash);
        return v;
      },
      () => {
        this.failedAt.set(hash, Date.now());
        return null;
      },
    );
  }

  private async load(hash: string, wav: string, signal?: AbortSignal): Promise<PreparedVoice> {
    const dir = join(this.t.hostDataDir, 'reference');
    const name = `prep-${hash}.wav`;
    const audio = join(dir, name);
    const textFile = join(dir, `prep-${hash}.txt`);
    const kept = await readFile(textFile, 'utf8').catch(() => null);
    if (kept !== null && (await stat(audio).then((s) => s.size > 0, () => false))) {
      const now = new Date();
      await Promise.all([utimes(audio, now, now), utimes(textFile, now, now)]).catch(() => undefined); // in use: retention keeps it
      return { name, text: kept };
    }
    this.calls += 1;
    const out = await preprocessReference(this.t, wav, signal);
    const tmp = `${audio}.tmp-${randomBytes(4).toString('hex')}`;
    try {
      // the normalized audio when it is on the volume; else (a long clip) our own copy of the original
      if (out.hostOut) await copyFile(out.hostOut, tmp);
      else await copyFile(wav, tmp);
      await rename(tmp, audio);
    } finally {
      await rm(tmp, { force: true });
      if (out.hostOut) await rm(out.hostOut, { force: true });
    }
    const text = referenceTranscript(out.text);
    await writeFile(textFile, text);
    return { name, text };
  }
}
