/**
 * Burned Chinese captions are readable: real ffmpeg/libass draws a caption onto a plain-colour
 * video through the gateway's own burn step, and the frame's pixels are read back.
 *
 * What tells real glyphs from tofu: without a font that holds them, every Han character is
 * drawn as the same "missing glyph" box (or, with libass and no fallback font, not at all), so
 * two different captions ("你好" and "我们") come out as the same picture. With the font they
 * differ in most of their inked pixels (helpers/caption-pixels.ts). The last test runs the same
 * check with fontconfig limited to a directory without any CJK font and shows it then fails —
 * so this test fails on a machine without fonts-noto-cjk.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subtitlesFilter } from '../src/segments/burn-args.js';
import { toSrt } from '../src/segments/captions.js';
import { DEFAULT_CAPTION_STYLE, SegmentMedia } from '../src/segments/segment-media.js';
import { differing, grayFrame, readableCaptions } from './helpers/caption-pixels.js';

const run = promisify(execFile);
const W = 640;
const H = 360;
let dir: string;
let plain: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hgw-burn-'));
  plain = join(dir, 'plain.mp4');
  await run('ffmpeg', [
    '-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=0x203050:s=${W}x${H}:r=10:d=1`, '-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=mono',
    '-t', '1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', plain,
  ]);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Grey pixels of the frame at 0.5 s. */
const frame = (video: string) => grayFrame(video, 0.5, { width: W, height: H });

async function srtOf(name: string, text: string): Promise<string> {
  const path = join(dir, `${name}.srt`);
  await writeFile(path, toSrt([{ startSec: 0, endSec: 1, lines: [text] }]));
  return path;
}

/** Burned through the gateway's own step (SegmentMedia.burnCaptions, the caption font of the config default). */
async function burned(name: string, text: string): Promise<Buffer> {
  const out = join(dir, `${name}.mp4`);
  await new SegmentMedia().burnCaptions(plain, await srtOf(name, text), out);
  return frame(out);
}

describe('burned Chinese captions', () => {
  let bg: Buffer;
  beforeAll(async () => {
    bg = await frame(plain);
  });

  it('draw real glyphs: different characters make different pictures', async () => {
    const r = readableCaptions(await burned('nihao', '你好'), await burned('women', '我们'), bg);
    expect(r).toMatchObject({ ok: true });
  });

  it('draw a character twice the same way (the comparison above is not noise)', async () => {
    const a1 = await burned('hao1', '好');
    const a2 = await burned('hao2', '好');
    expect(differing(a1, a2)).toBeLessThan(0.05 * differing(a1, bg));
  });

  it('without a CJK font the same check fails — boxes or nothing drawn (so this test fails where fonts-noto-cjk is missing)', async () => {
    const fonts = join(dir, 'fonts.conf');
    await writeFile(fonts, `<?xml version="1.0"?>\n<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>${join(dir, 'fc-cache')}</cachedir></fontconfig>\n`);
    const env = { ...process.env, FONTCONFIG_FILE: fonts };
    const noFont = async (name: string, text: string) => {
      const out = join(dir, `${name}-nofont.mp4`);
      const vf = subtitlesFilter(await srtOf(`${name}-nofont`, text), DEFAULT_CAPTION_STYLE, { width: W, height: H });
      await run('ffmpeg', ['-hide_banner', '-v', 'error', '-y', '-i', plain, '-vf', vf, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'copy', out], { env });
      return frame(out);
    };
    expect(readableCaptions(await noFont('nihao', '你好'), await noFont('women', '我们'), bg)).toMatchObject({ ok: false });
  });
});
