/**
 * Default face video and reference voice, generated on first start (the repo ships no binary
 * media). Idempotent; atomic writes make two processes starting at once safe.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomically } from '../../media/ffmpeg.adapter.js';
import type { Media } from '../../media/media.js';
import { espeakToWav } from './espeak.js';

const VOICE_TEXT = 'Hello. This is the default voice of the heygem gateway preview engine.';

export interface PreviewAssets {
  faceVideo: string;
  referenceVoice: string;
}

export async function ensurePreviewAssets(dataDir: string, media: Media, o: { espeakPath?: string; voice?: string } = {}): Promise<PreviewAssets> {
  const dir = join(dataDir, 'assets');
  await mkdir(dir, { recursive: true });
  const faceVideo = join(dir, 'default-face.mp4');
  const referenceVoice = join(dir, 'default-voice.wav');
  if (!existsSync(faceVideo)) await media.makeDefaultFace(faceVideo, { seconds: 4 });
  if (!existsSync(referenceVoice)) {
    await writeAtomically(referenceVoice, '.wav', (tmp) => espeakToWav(o.espeakPath ?? 'espeak-ng', VOICE_TEXT, tmp, { voice: o.voice }));
  }
  return { faceVideo, referenceVoice };
}
