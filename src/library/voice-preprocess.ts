/**
 * Registering a voice through the TTS container's `/v1/preprocess_and_tran` (config
 * library.preprocessVoices): it normalizes the reference once and transcribes it, and reusing
 * both in later /v1/invoke calls clones better. The container deletes the uploaded original and,
 * for long clips, leaves its output inside the container (lost on re-creation) — so the gateway
 * uploads a copy under a random name, copies the normalized file back into its own library, and
 * keeps its original either way.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '../domain/errors.js';
import { readJson, request, withTimeout } from '../engines/heygem/http-json.js';

export interface PreprocessTarget {
  url: string;
  hostDataDir: string;
  containerDataDir: string;
  timeoutMs: number;
  lang: 'zh' | 'en';
}

export interface PreprocessOutcome {
  /** The container's transcript (parts joined by `|||`, as it returns them). */
  text: string;
  /** true when the normalized audio was on the shared volume and is now at `outWav`. */
  normalized: boolean;
}

interface PreprocessReply {
  code?: unknown;
  msg?: unknown;
  asr_format_audio_url?: unknown;
  reference_audio_text?: unknown;
}

export async function preprocessVoice(t: PreprocessTarget, wav: string, outWav: string): Promise<PreprocessOutcome> {
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
        signal: withTimeout(new AbortController().signal, t.timeoutMs),
      },
      'TTS',
    );
    const body = (await readJson(res).catch(() => null)) as PreprocessReply | null;
    if (!res.ok || !body || body.code !== 0) {
      throw new DomainError('voice_preprocess_failed', 'upstream_failed', `The TTS container could not preprocess the voice (HTTP ${res.status}${body?.msg ? `: ${String(body.msg).slice(0, 200)}` : ''})`);
    }
    const text = typeof body.reference_audio_text === 'string' ? body.reference_audio_text : '';
    const url = typeof body.asr_format_audio_url === 'string' ? body.asr_format_audio_url : '';
    const mount = t.containerDataDir.replace(/\/+$/, '');
    const rel = url.startsWith(mount + '/') ? url.slice(mount.length + 1) : null;
    if (!rel || rel.split('/').some((p) => p === '..' || p === '')) return { text, normalized: false };
    const hostOut = join(t.hostDataDir, rel);
    const copied = await copyFile(hostOut, outWav).then(() => true, () => false);
    await rm(hostOut, { force: true });
    return { text, normalized: copied };
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError('voice_preprocess_failed', 'upstream_failed', `The TTS container could not preprocess the voice: ${(err as Error).message}`.slice(0, 300));
  } finally {
    await rm(join(refDir, name), { force: true }); // the container deletes it; not always
  }
}
