/**
 * Avatars and voices (docs/avatars.md): submitting by library id instead of uploading the face
 * every time. A gateway in this process drives one protocol-exact fake HeyGem container pair;
 * N tasks are submitted one after another by upload, then N by `avatar_id`. Reported per mode:
 * /api/generate latency (p50/p90), HTTP request bytes per task, the bytes staged into the
 * containers' data dirs per task (face + reference voice; a hard link on one file system, a
 * real copy across file systems or hosts), and the prepare step (reference-voice cut) p50.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config/load.js';
import { startSimulatedFarm } from '../src/simulate/simulate.js';
import { createGateway } from '../src/gateway.js';
import { buildApp } from '../src/http/app.js';
import { quantile, round } from './lib/stats.js';
import { faceImage, ONE_FACE_CROP } from '../test/helpers/fixtures.js';
import { slotsOf } from '../test/helpers/farm.js';

function makeFace(dir: string, seconds: number): string {
  const out = join(dir, 'face.mp4');
  execFileSync('ffmpeg', [
    '-v', 'error', '-y',
    // a real face (the face check refuses a test pattern): docs/checks.md
    '-loop', '1', '-framerate', '25', '-i', faceImage(), '-t', String(seconds),
    '-f', 'lavfi', '-i', `sine=frequency=220:sample_rate=44100:duration=${seconds}`,
    '-vf', `${ONE_FACE_CROP},scale=640:360`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-movflags', '+faststart', out,
  ]);
  return out;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('bench: tasks did not finish in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function runLibraryBench(opts: { quick?: boolean }): Promise<Array<Record<string, number | string>>> {
  const n = opts.quick ? 4 : 30;
  const base = mkdtempSync(join(tmpdir(), 'hg-bench-lib-'));
  const face = makeFace(base, opts.quick ? 3 : 10);
  const faceBytes = statSync(face).size;
  const farm = await startSimulatedFarm({ gpus: 1, baseDir: join(base, 'farm'), host: '127.0.0.1', videoBasePort: 0, ttsBasePort: 0, renderMs: opts.quick ? 50 : 200, ttsMs: 10 });
  const slot = farm.slots[0];
  const config = loadConfig({
    env: {} as NodeJS.ProcessEnv,
    inline: {
      dataDir: join(base, 'data'),
      engine: 'heygem',
      slots: slotsOf({ slots: [slot] }),
      heygem: { pollIntervalMs: 50, minPollIntervalMs: 20 },
      rateLimit: { exemptLoopback: true },
    },
  });
  const gw = await createGateway(config, { log: pino({ level: 'silent' }) });
  const app = await buildApp(gw);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const faceBuf = readFileSync(face);
  const rows: Array<Record<string, number | string>> = [];
  try {
    const run = async (mode: string, body: (i: number) => { init: RequestInit; bytes: number }, extra: Record<string, number> = {}) => {
      const before = slot.video.stats().inputs.length;
      const beforeTts = slot.tts.stats().requests.length;
      const ms: number[] = [];
      const ids: string[] = [];
      let bytes = 0;
      for (let i = 0; i < n; i++) {
        const b = body(i);
        const t0 = performance.now();
        const res = await fetch(`${url}/api/generate`, { method: 'POST', ...b.init });
        const j = (await res.json()) as { task_id?: string };
        ms.push(performance.now() - t0);
        if (res.status !== 202 || !j.task_id) throw new Error(`bench: generate answered ${res.status}`);
        ids.push(j.task_id);
        bytes += b.bytes;
      }
      await until(async () => (await Promise.all(ids.map((id) => gw.store.get(id)))).every((t) => t?.state === 'completed'), 600_000);
      const tasks = await Promise.all(ids.map(async (id) => (await gw.store.get(id))!));
      const faces = slot.video.stats().inputs.slice(before).map((x) => x.video_url);
      const refs = (slot.tts.stats().requests.slice(beforeTts) as Array<{ reference_audio: string }>).map((r) => r.reference_audio);
      // A per-task name is a fresh staging each time; a content-hash name is staged once.
      const faceStagings = faces.filter((f) => !f.startsWith('lib-')).length + new Set(faces.filter((f) => f.startsWith('lib-'))).size;
      const refStagings = refs.filter((f) => !f.includes('/lib-')).length + new Set(refs.filter((f) => f.includes('/lib-'))).size;
      const refBytes = referenceWavBytes(gw.paths.root);
      rows.push({
        mode,
        tasks: n,
        generate_p50_ms: round(quantile(ms, 0.5), 1),
        generate_p90_ms: round(quantile(ms, 0.9), 1),
        http_bytes_per_task: Math.round(bytes / n),
        face_stagings: faceStagings,
        staged_bytes_per_task: Math.round((faceStagings * faceBytes + refStagings * refBytes) / n),
        prepare_p50_ms: round(quantile(tasks.map((t) => (t.ttsStartedAt ?? 0) - (t.startedAt ?? 0)), 0.5), 1),
        ...extra,
      });
    };

    // Register first so the reference-voice size is known for both rows (same cut, same size).
    const form = new FormData();
    form.set('video', new Blob([new Uint8Array(faceBuf)]), 'face.mp4');
    form.set('name', 'bench');
    const t0 = performance.now();
    const reg = await fetch(`${url}/api/avatars`, { method: 'POST', body: form });
    const registerMs = performance.now() - t0;
    const avatar = (await reg.json()) as { id: string };
    if (reg.status !== 201) throw new Error(`bench: avatar upload answered ${reg.status}`);

    await run('upload every time', (i) => {
      const f = new FormData();
      f.set('text', `Bench task ${i} by upload.`);
      f.set('video', new Blob([new Uint8Array(faceBuf)]), 'face.mp4');
      return { init: { body: f }, bytes: faceBuf.length + 300 };
    });
    await run('avatar_id', (i) => {
      const body = JSON.stringify({ text: `Bench task ${i} by avatar id.`, avatar_id: avatar.id });
      return { init: { body, headers: { 'content-type': 'application/json' } }, bytes: Buffer.byteLength(body) };
    }, { register_once_ms: round(registerMs, 1), register_once_bytes: faceBuf.length });
  } finally {
    await app.close();
    await gw.close(0);
    await farm.close();
  }
  return rows;
}

/** Size of the registered avatar's reference voice: a per-task cut of the same face is as large. */
function referenceWavBytes(root: string): number {
  const dir = join(root, 'library', 'voices');
  const [voice] = readdirSync(dir);
  return voice ? statSync(join(dir, voice, 'reference.wav')).size : 0;
}
