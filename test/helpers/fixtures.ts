/** Media fixtures made on the fly with real ffmpeg (the repo ships no binary media). */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cacheDir = join(tmpdir(), 'heygem-gateway-fixtures');

/** A short face-like clip with a tone as its sound track (video + audio). */
export async function faceVideoWithAudio(seconds = 2): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const out = join(cacheDir, `face-${seconds}s.mp4`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp.mp4`;
  await run('ffmpeg', [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=25:duration=${seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=220:sample_rate=44100:duration=${seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-movflags', '+faststart', tmp,
  ]);
  await import('node:fs/promises').then((fs) => fs.rename(tmp, out));
  return out;
}

/** A video with no audio track. */
export async function silentVideo(seconds = 1): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const out = join(cacheDir, `silent-${seconds}s.mp4`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp.mp4`;
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=160x120:rate=25:duration=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', tmp]);
  await import('node:fs/promises').then((fs) => fs.rename(tmp, out));
  return out;
}

export async function ffprobeJson(path: string): Promise<{ format: { format_name: string; duration: string }; streams: Array<{ codec_type: string; codec_name: string }> }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path]);
  return JSON.parse(stdout);
}
