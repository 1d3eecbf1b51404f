/**
 * A still of a caption style (docs/output.md, "Caption styles"): one frame of the face video
 * with a sample caption burned in by the same `subtitles` filter a task's burn uses, as PNG.
 * The frame is brought down to at most 720 lines first (a preview, and cheap: one frame).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaptionStyle } from '../domain/caption-style.js';
import { QUIET, SAFE_INPUT } from '../media/ffmpeg.args.js';
import { runProcess } from '../media/process.js';
import type { SpeechLanguage } from '../text/language.js';
import { styledSubtitlesFilter } from './burn-args.js';
import { cuesOf, layoutOf, toSrt } from './captions.js';

export const SAMPLE_TEXT: Record<SpeechLanguage, string> = {
  zh: '这款手机售价2999元，比去年便宜了20%。',
  en: 'Your brand, your captions: the same style in every video.',
};

/** Even size of at most 720 lines, the aspect kept. */
export function previewSize(width: number, height: number): { width: number; height: number } {
  const k = Math.min(1, 720 / Math.max(1, height));
  return { width: Math.max(2, Math.round((width * k) / 2) * 2), height: Math.max(2, Math.round((height * k) / 2) * 2) };
}

export async function renderCaptionPreview(
  o: { video: string; style: CaptionStyle; text: string; language: SpeechLanguage; size: { width: number; height: number }; atSec?: number; ffmpegPath?: string; signal?: AbortSignal },
): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'caption-preview-'));
  try {
    const cue = cuesOf({ text: o.text, startSec: 0, endSec: 3600 }, layoutOf(o.style), o.language)[0];
    const lines = cue ? cue.lines.map((l) => (o.style.uppercase ? l.toLocaleUpperCase('en') : l)) : [];
    const srt = join(dir, 'sample.srt');
    await writeFile(srt, toSrt([{ startSec: 0, endSec: 3600, lines }]));
    const size = previewSize(o.size.width, o.size.height);
    const png = join(dir, 'preview.png');
    await runProcess(
      o.ffmpegPath ?? 'ffmpeg',
      [
        ...QUIET, '-ss', (o.atSec ?? 0.5).toFixed(3), ...SAFE_INPUT, '-i', o.video, '-frames:v', '1',
        '-vf', `scale=${size.width}:${size.height},setsar=1,${styledSubtitlesFilter(srt, o.style, size)}`,
        '-f', 'image2', '-c:v', 'png', png,
      ],
      { signal: o.signal, timeoutMs: 60_000, maxOutputBytes: 64 * 1024 },
    );
    return await readFile(png);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
