/**
 * Face videos for the face check (docs/checks.md), composited by ffmpeg from real photos shipped
 * in an npm package (fixtures.ts faceImage): one face, two faces, no face (the window behind the
 * people), a tiny face on a plain background, a face cut by the frame edge. 640×360, 25 fps, a
 * tone as sound; cached like the other fixtures.
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

export type FaceCase = 'one' | 'two' | 'none' | 'tiny' | 'cut';

/** Filter graph from the photo (input 0) and a plain 640×360 canvas (input 1) to [v]. */
const GRAPHS: Record<FaceCase, { image: string; graph: string }> = {
  one: { image: 'sample1.jpg', graph: `[0]${ONE_FACE_CROP},scale=640:360[v]` },
  // the left and the middle person of sample1.jpg
  two: { image: 'sample1.jpg', graph: '[0]crop=900:506:250:250,scale=640:360[v]' },
  // the window and blinds above the people of sample3.jpg
  none: { image: 'sample3.jpg', graph: '[0]crop=640:360:1280:0,scale=640:360[v]' },
  // the one face at a tenth of the size, in the middle of a plain wall: its box about 10 % of the height
  tiny: { image: 'sample1.jpg', graph: `[0]${ONE_FACE_CROP},scale=80:60[f];[1][f]overlay=280:150[v]` },
  // a close-up whose face runs off the left and the bottom edge
  cut: { image: 'sample1.jpg', graph: `[0]${ONE_FACE_CROP},crop=400:225:420:90,scale=640:360[v]` },
};

export async function faceCaseVideo(kind: FaceCase, seconds = 3): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const out = join(cacheDir, `facecase-${kind}-${seconds}s.mp4`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp.mp4`;
  const { image, graph } = GRAPHS[kind];
  await run('ffmpeg', [
    '-v', 'error', '-y',
    '-loop', '1', '-framerate', '25', '-i', faceImage(image),
    '-f', 'lavfi', '-i', 'color=c=0x5a6e82:s=640x360:r=25',
    '-f', 'lavfi', '-i', `sine=frequency=220:sample_rate=44100:duration=${seconds}`,
    '-filter_complex', graph, '-map', '[v]', '-map', '2:a', '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart', tmp,
  ]);
  await rename(tmp, out);
  return out;
}
