/**
 * `doctor`: checks everything the gateway depends on and prints a pass/fail table with fixes.
 * Exit code 1 when any check fails (warnings do not fail).
 */
import { constants } from 'node:fs';
import { access, mkdir, statfs } from 'node:fs/promises';
import { createDirFix, dirProblem } from '../config/container-dirs.js';
import { loadConfig, type GatewayConfig } from '../config/load.js';
import { HeygemTtsEngine } from '../engines/heygem/tts.adapter.js';
import { readJson } from '../engines/heygem/http-json.js';
import { isVideoReply } from '../engines/heygem/video-protocol.js';
import { runProcess } from '../media/process.js';
import { HumanFaceDetector } from '../checks/human-face-detector.js';
import { DataPaths } from '../runner/data-paths.js';
import { SqliteTaskStore } from '../store/sqlite.adapter.js';
import { NvidiaSmiSampler } from '../telemetry/nvidia-smi.js';

export interface Check {
  name: string;
  status: 'pass' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

async function binary(name: string, path: string, args: string[], fix: string, required = true): Promise<Check> {
  try {
    const { stdout, stderr } = await runProcess(path, args, { timeoutMs: 10_000 });
    return { name, status: 'pass', detail: (stdout || stderr).split('\n')[0].slice(0, 80) };
  } catch (err) {
    return { name, status: required ? 'fail' : 'warn', detail: (err as Error).message.slice(0, 120), fix };
  }
}

/** The font burned captions are drawn in, as fontconfig resolves it (libass asks fontconfig the same way). */
async function captionFont(font: string): Promise<Check> {
  const fix = 'install fonts-noto-cjk (Debian: apt-get install fonts-noto-cjk) or set captions.font to an installed font with Chinese glyphs';
  try {
    const { stdout } = await runProcess('fc-match', ['-f', '%{family}', `${font}:lang=zh-cn`], { timeoutMs: 10_000 });
    const found = stdout.split(',').some((f) => f.trim().toLowerCase() === font.toLowerCase());
    return found ? { name: 'caption font', status: 'pass', detail: font } : { name: 'caption font', status: 'warn', detail: `${font} is not installed; burned captions fall back to ${stdout.split(',')[0].slice(0, 40) || 'no font'} (Chinese may be drawn as empty boxes)`, fix };
  } catch (err) {
    return { name: 'caption font', status: 'warn', detail: `fc-match: ${(err as Error).message.slice(0, 100)}`, fix };
  }
}

async function writable(name: string, dir: string): Promise<Check> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    return { name, status: 'pass', detail: dir };
  } catch (err) {
    return { name, status: 'fail', detail: `${dir}: ${(err as Error).message}`, fix: `create it and give the gateway's user write access: mkdir -p ${dir}` };
  }
}

/**
 * A container's host data dir must already exist (never created here: a mistyped path would
 * pass and the container would never see the files — config/container-dirs.ts).
 */
/** The face check's model loads and runs (a blank still: no face, no error). */
async function faceDetector(c: GatewayConfig): Promise<Check> {
  if (c.checks.face === 'off') return { name: 'face detector', status: 'pass', detail: 'checks.face is off' };
  const started = Date.now();
  try {
    const d = new HumanFaceDetector({ minConfidence: c.checks.minConfidence });
    await d.detect({ width: 64, height: 64, rgb: new Uint8Array(64 * 64 * 3) });
    return { name: 'face detector', status: 'pass', detail: `BlazeFace on WASM, ready in ${Date.now() - started} ms` };
  } catch (err) {
    return { name: 'face detector', status: 'fail', detail: (err as Error).message.slice(0, 120), fix: 'npm ci (installs @vladmandic/human and its WASM backend), or set checks.face: off' };
  }
}

async function containerDir(name: string, dir: string): Promise<Check> {
  const problem = dirProblem(dir);
  if (problem) return { name, status: 'fail', detail: problem.detail, fix: problem.fix };
  try {
    await access(dir, constants.W_OK);
    return { name, status: 'pass', detail: dir };
  } catch (err) {
    return { name, status: 'fail', detail: `${dir}: ${(err as Error).message}`, fix: createDirFix(dir).replace(/^create it owned/, 'make it owned') };
  }
}

async function endpoint(name: string, probe: () => Promise<boolean>, url: string, fix: string): Promise<Check> {
  const ok = await probe().catch(() => false);
  return ok ? { name, status: 'pass', detail: url } : { name, status: 'fail', detail: `${url} does not answer`, fix };
}

export async function runChecks(c: GatewayConfig): Promise<Check[]> {
  const paths = new DataPaths(c.dataDir);
  const checks: Check[] = [
    await binary('ffmpeg', c.media.ffmpeg, ['-version'], 'install ffmpeg (Debian: apt-get install ffmpeg) or set media.ffmpeg'),
    await binary('ffprobe', c.media.ffprobe, ['-version'], 'install ffmpeg (ffprobe comes with it) or set media.ffprobe'),
    await binary('espeak-ng', c.media.espeak, ['--version'], 'install espeak-ng (needed by the preview engine)', c.engine === 'preview'),
    await writable('data dir', c.dataDir),
    await captionFont(c.captions.font),
    await faceDetector(c),
  ];
  try {
    const fs = await statfs(c.dataDir);
    const free = fs.bavail * fs.bsize;
    const min = (c.limits as { minFreeDiskBytes?: number }).minFreeDiskBytes ?? 1024 ** 3;
    checks.push({ name: 'disk space', status: free >= min ? 'pass' : 'fail', detail: `${(free / 1024 ** 3).toFixed(1)} GiB free`, fix: free >= min ? undefined : 'free space on the data dir volume or lower limits.minFreeDiskBytes' });
  } catch (err) {
    checks.push({ name: 'disk space', status: 'warn', detail: (err as Error).message });
  }
  if (c.store.driver === 'sqlite') {
    try {
      const s = new SqliteTaskStore(paths.database);
      const n = await s.queueSize();
      await s.close();
      checks.push({ name: 'database', status: 'pass', detail: `${paths.database} (${n} queued)` });
    } catch (err) {
      checks.push({ name: 'database', status: 'fail', detail: (err as Error).message, fix: 'check the data dir permissions; restore gateway.db from a backup if it is corrupt' });
    }
  }
  for (const s of c.slots) {
    const tts = new HeygemTtsEngine({ url: s.ttsUrl, hostDataDir: s.ttsDataDir, containerDataDir: s.ttsContainerDataDir, timeoutMs: 5000, healthTimeoutMs: 5000, params: c.heygem.tts });
    checks.push(await endpoint(`GPU ${s.id} TTS /v1/health`, () => tts.health(), s.ttsUrl, `start the TTS container for GPU ${s.id} (port ${new URL(s.ttsUrl).port}); it answers once its model loaded`));
    checks.push(
      await endpoint(
        `GPU ${s.id} video /easy/query`,
        async () => isVideoReply(await readJson(await fetch(`${s.videoUrl}/easy/query?code=doctor`, { signal: AbortSignal.timeout(5000) }))),
        s.videoUrl,
        `start the video container for GPU ${s.id}; its port opens ~15 s after start`,
      ),
    );
    checks.push(await containerDir(`GPU ${s.id} video data dir`, s.videoDataDir));
    checks.push(await containerDir(`GPU ${s.id} TTS data dir`, s.ttsDataDir));
  }
  if (c.engine === 'heygem' || c.telemetry.gpu === 'on') {
    const smi = new NvidiaSmiSampler({ binary: c.telemetry.nvidiaSmi, intervalMs: 60_000 });
    const gpus = await smi.sample();
    checks.push(gpus.length ? { name: 'nvidia-smi', status: 'pass', detail: `${gpus.length} GPU(s)` } : { name: 'nvidia-smi', status: 'warn', detail: smi.unavailableReason() ?? 'no GPUs', fix: 'install the NVIDIA driver utilities for GPU telemetry (optional)' });
  }
  return checks;
}

export function formatChecks(checks: Check[]): string {
  const w = Math.max(...checks.map((c) => c.name.length));
  const mark = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };
  return checks.map((c) => `${mark[c.status]}  ${c.name.padEnd(w)}  ${c.detail}${c.fix ? `\n      ↳ fix: ${c.fix}` : ''}`).join('\n');
}

export async function doctor(opts: { config?: string }): Promise<void> {
  const c = loadConfig({ path: opts.config });
  const checks = await runChecks(c);
  process.stdout.write(`heygem-gateway doctor (config: ${c.source}, engine: ${c.engine})\n${formatChecks(checks)}\n`);
  const failed = checks.filter((x) => x.status === 'fail').length;
  process.stdout.write(failed ? `\n${failed} check(s) failed.\n` : '\nAll checks passed.\n');
  process.exitCode = failed ? 1 : 0;
}
