/**
 * Cost of the quality checks (docs/checks.md), per second of video, on this machine.
 *
 * Face check at the door: the real FaceCheck (FrameSampler → BlazeFace on WASM → verdict) on a
 * face video made from a packaged photo: 10 s of 720p (the budget: ≤ 1.5 s of CPU), and in the
 * full run a 10-minute 1080p upload (ten stills spread over it). CPU = this process (the
 * detector runs in it) + the ffmpeg children (from /proc/self/stat), after the model is loaded;
 * the one-time model load and the memory it adds are reported apart.
 *
 * Output check: the real OutputChecker (one ffmpeg pass with blackdetect, freezedetect,
 * silencedetect over the result, the speech's silences, whether the face stands still) on a
 * 720p and 1080p result of a moving face, up to ten minutes; the budget is 10 % of the video's
 * duration in CPU time. Each row is the median of its runs and says whether it meets its budget.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaceCheck, type FaceCheckConfig } from '../src/checks/face-check.js';
import { HumanFaceDetector } from '../src/checks/human-face-detector.js';
import { FfmpegMedia } from '../src/media/ffmpeg.adapter.js';
import { FrameSampler } from '../src/media/frame-sampler.js';
import { OutputChecker } from '../src/checks/output-check.js';
import { faceImage, ONE_FACE_CROP } from '../test/helpers/fixtures.js';
import { median, round } from './lib/stats.js';

/** The budgets of issue #26 (docs/checks.md, "Cost"). */
const FACE_CPU_PER_10S_720P = 1.5;
const DETECTOR_EXTRA_RSS_MB = 300;
const OUTPUT_CPU_SHARE = 0.1;

const cacheDir = join(tmpdir(), 'heygem-gateway-bench');

/**
 * A real face (packaged photo) held for `seconds` at `width`×`height`, 25 fps, with a tone.
 * Longer than 10 s: the 10 s clip repeated (stream copy, keyframes stay 10 s apart) — encoding
 * ten minutes of zoomed 1080p would take the machine longer than the whole benchmark, and the
 * checks decode the copy exactly as they would a camera file of that length.
 */
export function faceVideo(seconds: number, width: number, height: number, motion: 'slow' | 'lively' = 'slow'): string {
  mkdirSync(cacheDir, { recursive: true });
  const out = join(cacheDir, `face-${width}x${height}-${seconds}s${motion === 'lively' ? '-lively' : ''}.mp4`);
  if (existsSync(out)) return out;
  if (seconds > 10 && seconds % 10 === 0) {
    const piece = faceVideo(10, width, height, motion);
    const list = `${out}.list.txt`;
    writeFileSync(list, Array.from({ length: seconds / 10 }, () => `file '${piece}'`).join('\n'));
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', '-movflags', '+faststart', `${out}.tmp.mp4`]);
    execFileSync('mv', [`${out}.tmp.mp4`, out]);
    rmSync(list);
    return out;
  }
  // lively: the zoom moves every frame, as a speaking face does (slow holds still for seconds)
  const zoom = motion === 'lively' ? "1.05+0.05*sin(on/8)" : '1+0.05*sin(on/50)';
  execFileSync('ffmpeg', [
    '-v', 'error', '-y',
    '-loop', '1', '-framerate', '25', '-i', faceImage(), '-t', String(seconds),
    '-f', 'lavfi', '-i', `sine=frequency=220:sample_rate=44100:duration=${seconds}`,
    // a slow zoom so the encoder codes real motion, as in a camera recording (keyframe every 10 s)
    '-vf', `${ONE_FACE_CROP},scale=${width * 2}:${height * 2},zoompan=z='${zoom}':d=1:s=${width}x${height}:fps=25`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '250', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-movflags', '+faststart', `${out}.tmp.mp4`,
  ]);
  execFileSync('mv', [`${out}.tmp.mp4`, out]);
  return out;
}

/** CPU seconds of this process and of its waited-for children (Linux /proc). */
function cpuSeconds(): number {
  const own = process.cpuUsage();
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[13]) + Number(fields[14]); // cutime + cstime (fields 16, 17)
  return (own.user + own.system) / 1e6 + ticks / 100;
}

const cfg: FaceCheckConfig = {
  face: 'on', sampleFrames: 10, minFaceHeightShare: 0.15, edgeMargin: 0.01, minConfidence: 0.5,
  minVideoSeconds: 0.5, minFps: 10, maxFps: 60, minShortSide: 120, maxLongSide: 4096,
};

export async function runChecksBench(opts: { quick?: boolean }): Promise<Array<Record<string, number | string>>> {
  const media = new FfmpegMedia({});
  const detector = new HumanFaceDetector({ minConfidence: cfg.minConfidence });
  const check = new FaceCheck(cfg, detector, new FrameSampler({ ffmpegPath: 'ffmpeg', timeoutMs: 300_000 }));
  const cases = opts.quick
    ? [{ label: 'face check, 3 s 360p', seconds: 3, width: 640, height: 360 }]
    : [
        { label: 'face check, 10 s 720p', seconds: 10, width: 1280, height: 720 },
        { label: 'face check, 10 min 1080p', seconds: 600, width: 1920, height: 1080 },
      ];
  const videos = cases.map((c) => faceVideo(c.seconds, c.width, c.height));
  const rss0 = process.memoryUsage().rss;
  const load0 = cpuSeconds();
  const l0 = Date.now();
  await detector.warm();
  const loadCpu = cpuSeconds() - load0;
  const loadMs = Date.now() - l0;
  const rows: Array<Record<string, number | string>> = [];
  for (const [i, c] of cases.entries()) {
    const probe = await media.probe(videos[i]);
    const runs = opts.quick ? 1 : 3;
    const cpus: number[] = [];
    const walls: number[] = [];
    let faces = '';
    for (let r = 0; r < runs; r++) {
      const c0 = cpuSeconds();
      const w0 = Date.now();
      const result = await check.check(videos[i], probe);
      cpus.push(cpuSeconds() - c0);
      walls.push(Date.now() - w0);
      faces = `${result.frames.length} stills, face h ${round(result.face!.h)}`;
    }
    // medians: the machine is shared, one slow run says more about the neighbours than the check
    const cpu = median(cpus);
    const per10 = (cpu / c.seconds) * 10;
    // the budget is stated for 720p; a longer upload is sampled with the same ten stills
    const budget = c.height === 720 ? `≤ ${FACE_CPU_PER_10S_720P} s CPU per 10 s` : `≤ ${FACE_CPU_PER_10S_720P} s CPU per upload (10 stills)`;
    const within = c.height === 720 ? per10 <= FACE_CPU_PER_10S_720P : cpu <= FACE_CPU_PER_10S_720P;
    rows.push({
      case: c.label,
      stills: faces,
      runs,
      cpu_s: round(cpu),
      cpu_s_per_10s_of_video: round(per10),
      cpu_ms_per_video_s: round((cpu / c.seconds) * 1000),
      wall_ms: round(median(walls)),
      budget,
      within_budget: within ? 'yes' : 'NO',
    });
  }
  const rssAfter = process.memoryUsage().rss;
  rows.push(...(await outputCheckRows(opts, media)));
  const extraMb = (rssAfter - rss0) / 1024 / 1024;
  rows.push({
    case: 'detector load (once per process)', stills: '', runs: 1, cpu_s: round(loadCpu), cpu_s_per_10s_of_video: 0, cpu_ms_per_video_s: 0, wall_ms: loadMs,
    extra_rss_mb: round(extraMb), budget: `≤ ${DETECTOR_EXTRA_RSS_MB} MB extra RSS`, within_budget: extraMb <= DETECTOR_EXTRA_RSS_MB ? 'yes' : 'NO',
  });
  return rows;
}

/** A speech WAV of `seconds` (a tone), as the TTS would hand over. */
function speechWav(seconds: number): string {
  const out = join(cacheDir, `speech-${seconds}s.wav`);
  if (!existsSync(out)) execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=f=220:r=44100:d=${seconds}`, '-ac', '1', out]);
  return out;
}

async function outputCheckRows(opts: { quick?: boolean }, media: FfmpegMedia): Promise<Array<Record<string, number | string>>> {
  const checker = new OutputChecker({ ffmpegPath: 'ffmpeg', timeoutMs: 600_000 });
  // 1080p as real HeyGem results often are, up to ten minutes
  const cases: Array<{ seconds: number; width: number; height: number; faceSeconds?: number }> = opts.quick
    ? [{ seconds: 3, width: 640, height: 360 }]
    : [
        { seconds: 10, width: 1280, height: 720 },
        { seconds: 60, width: 1280, height: 720 },
        { seconds: 60, width: 1920, height: 1080 },
        { seconds: 600, width: 1920, height: 1080 },
        // a short result of a 10-minute face upload: the still-face pass reads only the face's first seconds
        { seconds: 10, width: 1920, height: 1080, faceSeconds: 600 },
      ];
  const rows: Array<Record<string, number | string>> = [];
  for (const c of cases) {
    // a result moves every frame, as a speaking face does: nothing to find, the whole pass is paid
    const result = faceVideo(c.seconds, c.width, c.height, 'lively');
    const faceSeconds = c.faceSeconds ?? (opts.quick ? 3 : 10);
    const face = faceVideo(faceSeconds, c.width, c.height, 'lively');
    const speech = speechWav(c.seconds);
    const p = await media.probe(result);
    const runs = opts.quick || c.seconds > 60 ? 1 : 3;
    const cpus: number[] = [];
    const walls: number[] = [];
    let found = '';
    for (let r = 0; r < runs; r++) {
      const c0 = cpuSeconds();
      const w0 = Date.now();
      const f = await checker.check({ result, videoSec: p.videoDurationSec ?? p.durationSec, audioSec: p.audioDurationSec ?? p.durationSec, speech, face });
      cpus.push(cpuSeconds() - c0);
      walls.push(Date.now() - w0);
      found = f.length ? [...new Set(f.map((x) => x.code))].map((code) => `${code} ×${f.filter((x) => x.code === code).length}`).join(', ') : 'none';
    }
    const cpu = median(cpus);
    const share = cpu / c.seconds;
    rows.push({
      case: `output check, ${c.seconds} s ${c.height}p${c.faceSeconds ? `, face ${c.faceSeconds} s` : ''}`,
      stills: `findings: ${found}`,
      runs,
      cpu_s: round(cpu),
      cpu_s_per_10s_of_video: round(share * 10),
      cpu_ms_per_video_s: round(share * 1000),
      wall_ms: round(median(walls)),
      cpu_share_of_duration: `${round(share * 100, 1)} %`,
      budget: `≤ ${OUTPUT_CPU_SHARE * 100} % of duration`,
      within_budget: share <= OUTPUT_CPU_SHARE ? 'yes' : 'NO',
    });
  }
  return rows;
}
