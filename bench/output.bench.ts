/**
 * Cost of the output pass (docs/output.md, docs/performance.md): the one ffmpeg run after the
 * render that shapes a task's video. CPU seconds (ffmpeg children, /proc/self/stat) per minute of
 * delivered 1080-line video, for each kind of pass, on a 1920×1080 render of a real face
 * (packaged photo, moving as a speaking face does):
 *  - crop: 1:1, 1080×1080 cut around the face;
 *  - pad: 9:16, 1080×1920, the picture scaled into the frame on a colour;
 *  - watermark: 16:9 as rendered, 1920×1080, a PNG overlaid at 50 % opacity;
 *  - webm: 16:9 as rendered, VP9 + Opus;
 *  - crop + burned captions (the caption burn joined into the same pass).
 * 20 s of video (`--quick`: 2 s), so the start of ffmpeg weighs little.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutputOptions } from '../src/domain/output-options.js';
import { planFrame } from '../src/media/output-args.js';
import { runOutputPass } from '../src/media/output-pass.js';
import { setDefaultNiceness } from '../src/media/process.js';
import { styledSubtitlesFilter } from '../src/segments/burn-args.js';
import { BASE_CAPTION_STYLE } from '../src/domain/caption-style.js';
import { faceVideo } from './checks.bench.js';
import { colorPng } from '../test/helpers/output-sources.js';
import { round } from './lib/stats.js';

function childCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime of waited-for children
}

const base: OutputOptions = { aspect: null, resolution: null, fit: 'auto', background: '#000000', watermark: null, format: 'mp4', face: { x: 0.42, y: 0.2, w: 0.16, h: 0.3 } };

export async function runOutputBench(opts: { quick?: boolean }): Promise<Array<Record<string, number | string>>> {
  setDefaultNiceness(0);
  const seconds = opts.quick ? 2 : 20;
  const video = faceVideo(seconds, 1920, 1080, 'lively');
  const dir = await mkdtemp(join(tmpdir(), 'hg-output-bench-'));
  const wm = await colorPng('white', 400, 160);
  const srt = join(dir, 'c.srt');
  const cues = Array.from({ length: Math.ceil(seconds / 3) }, (_, i) => `${i + 1}\n00:${String(Math.floor((i * 3) / 60)).padStart(2, '0')}:${String((i * 3) % 60).padStart(2, '0')},000 --> 00:${String(Math.floor((i * 3 + 3) / 60)).padStart(2, '0')}:${String((i * 3 + 3) % 60).padStart(2, '0')},000\n这款手机售价2999元，比去年便宜了20%。\nCaption line ${i + 1}\n`);
  writeFileSync(srt, cues.join('\n'));
  const cases: Array<{ name: string; o: OutputOptions; captions?: boolean }> = [
    { name: 'crop 1:1 1080×1080', o: { ...base, aspect: '1:1', fit: 'crop' } },
    { name: 'pad 9:16 1080×1920', o: { ...base, aspect: '9:16', resolution: { width: 1080, height: 1920 }, fit: 'pad', background: '#203040' } },
    { name: 'watermark 1920×1080', o: { ...base, watermark: { image: 'img_bench', position: 'bottom-right', scale: 0.15, opacity: 0.5 } } },
    { name: 'webm 1920×1080 (VP9/Opus)', o: { ...base, format: 'webm' } },
    { name: 'crop 1:1 + burned captions', o: { ...base, aspect: '1:1', fit: 'crop' }, captions: true },
  ];
  const rows: Array<Record<string, number | string>> = [];
  try {
    for (const c of cases) {
      const plan = planFrame({ width: 1920, height: 1080 }, c.o);
      const out = join(dir, `out.${c.o.format}`);
      const cpu0 = childCpuSeconds();
      const t0 = performance.now();
      await runOutputPass({ video, out, plan, options: c.o, images: { watermark: wm }, fps: 25, subtitles: c.captions ? styledSubtitlesFilter(srt, BASE_CAPTION_STYLE, plan.out) : undefined }, { timeoutMs: 1_800_000 });
      const wall = (performance.now() - t0) / 1000;
      const cpu = childCpuSeconds() - cpu0;
      rows.push({ pass: c.name, out: `${plan.out.width}×${plan.out.height}`, video_s: seconds, cpu_s: round(cpu), wall_s: round(wall), cpu_s_per_min: round((cpu * 60) / seconds), realtime_x: round(seconds / wall) });
      await rm(out, { force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}
