/**
 * Registering a voice through the TTS container's `/v1/preprocess_and_tran` (config
 * library.preprocessVoices): it normalizes the reference once and transcribes it, and reusing
 * both in later /v1/invoke calls clones better. The protocol call is the engine's
 * (engines/heygem/voice-prep.ts: a copy under a random name is uploaded, since the container
 * deletes it); here the normalized file is copied back into the library, which keeps its original
 * either way.
 */
import { copyFile, rm } from 'node:fs/promises';
import { DomainError } from '../domain/errors.js';
import { preprocessReference, type PreprocessTarget } from '../engines/heygem/voice-prep.js';

export type { PreprocessTarget };

export interface PreprocessOutcome {
  /** The container's transcript (parts joined by `|||`, as it returns them). */
  text: string;
  /** true when the normalized audio was on the shared volume and is now at `outWav`. */
  normalized: boolean;
}

export async function preprocessVoice(t: PreprocessTarget, wav: string, outWav: string): Promise<PreprocessOutcome> {
  let out: { text: string; hostOut: string | null };
  try {
    out = await preprocessReference(t, wav);
  } catch (err) {
    throw new DomainError('voice_preprocess_failed', 'upstream_failed', `The TTS container could not preprocess the voice (${(err as Error).message})`.slice(0, 300));
  }
  if (!out.hostOut) return { text: out.text, normalized: false };
  const copied = await copyFile(out.hostOut, outWav).then(() => true, () => false);
  await rm(out.hostOut, { force: true });
  return { text: out.text, normalized: copied };
}
