/**
 * Results for the output check (docs/checks.md), made by ffmpeg from the packaged face photo
 * (fixtures.ts faceImage): a moving face (a slow zoom) with a tone, and the same spoiled in one
 * way each — black for a while, frozen, silent for a while, audio longer than the video.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { faceImage, ONE_FACE_CROP } from './fixtures.js';

const run = promisify(execFile);
const cacheDir = join(tmpdir(), 'heygem-gateway-fixtures');

export type OutputCase = 'good' | 'black' | 'frozen' | 'silent' | 'drift' | 'speech-pause';

const SECONDS = 4;
const moving = `${ONE_FACE_CROP},scale=640:480,zoompan=z='1.05+0.05*sin(on/8)':d=1:s=320x240:fps=25`;
const still = `${ONE_FACE_CROP},scale=320:240`;

/** [video filter on the photo, audio source, video seconds, audio seconds] per case. */
const CASES: Record<OutputCase, { vf: string; af: string; video: number; audio: number; wav?: boolean }> = {
  good: { vf: moving, af: 'sine=f=220:r=44100', video: SECONDS, audio: SECONDS },
  black: { vf: `${moving},drawbox=enable='between(t,1,2.5)':x=0:y=0:w=iw:h=ih:color=black:t=fill`, af: 'sine=f=220:r=44100', video: SECONDS, audio: SECONDS },
  frozen: { vf: still, af: 'sine=f=220:r=44100', video: SECONDS, audio: SECONDS },
  silent: { vf: moving, af: "sine=f=220:r=44100,volume=enable='between(t,1,3)':volume=0", video: SECONDS, audio: SECONDS },
  drift: { vf: moving, af: 'sine=f=220:r=44100', video: SECONDS - 1.5, audio: SECONDS },
  // the speech itself pauses from 1 s to 3 s (a WAV, like the TTS's)
  'speech-pause': { vf: '', af: "sine=f=220:r=44100,volume=enable='between(t,1,3)':volume=0", video: 0, audio: SECONDS, wav: true },
};

export async function outputCase(kind: OutputCase): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const c = CASES[kind];
  const out = join(cacheDir, `output-${kind}.${c.wav ? 'wav' : 'mp4'}`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp.${c.wav ? 'wav' : 'mp4'}`;
  const audio = ['-f', 'lavfi', '-t', String(c.audio), '-i', c.af];
  const args = c.wav
    ? ['-v', 'error', '-y', ...audio, '-ac', '1', tmp]
    : [
        '-v', 'error', '-y', '-loop', '1', '-framerate', '25', '-t', String(c.video), '-i', faceImage(), ...audio,
        '-vf', c.vf, '-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', tmp,
      ];
  await run('ffmpeg', args);
  await rename(tmp, out);
  return out;
}
