/**
 * `generate "text" [--video f.mp4] [-o out.mp4] [--url …]`: submit to a running gateway, show
 * a live progress bar with phase names (one line per phase change when stdout is not a TTY),
 * download the result.
 */
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { call, httpErrorMessage, request, type ClientOptions } from './client.js';
import { streamLine } from './stream-line.js';

const FINAL = new Set(['completed', 'failed', 'timeout', 'canceled']);

/** "~1m20s" for an ETA in seconds. */
export function shortEta(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  return s < 60 ? `~${s}s` : `~${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export function progressLine(s: { status: string; phase: string; progress: number; queue_position?: number | null; eta_seconds?: number | null; eta_high?: number | null }): string {
  const width = 30;
  const filled = Math.round((Math.max(0, Math.min(100, s.progress)) / 100) * width);
  const where = s.status === 'queued' && s.queue_position ? `queued #${s.queue_position}` : s.phase;
  const eta = s.eta_seconds != null && !FINAL.has(s.status) ? `  ETA ${shortEta(s.eta_seconds)}${s.eta_high != null && s.eta_high > s.eta_seconds ? ` (≤${shortEta(s.eta_high).slice(1)})` : ''}` : '';
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(s.progress).padStart(3)}%  ${where}${eta}`;
}

interface SegmentRow {
  index: number;
  status: string;
  gpu_id: number | null;
}

/** Long scripts: "segments 5/12 done, rendering on GPU 0,2 · 61/180 s of speech". */
export function segmentsLine(s: { segments?: SegmentRow[]; rendered_speech_seconds?: number; speech_seconds?: number | null }): string {
  if (!s.segments?.length) return '';
  const done = s.segments.filter((x) => x.status === 'completed').length;
  const gpus = [...new Set(s.segments.filter((x) => x.status === 'processing' && x.gpu_id !== null).map((x) => x.gpu_id))].sort();
  const speech = s.speech_seconds ? ` · ${Math.round(s.rendered_speech_seconds ?? 0)}/${Math.round(s.speech_seconds)} s of speech` : '';
  return `  segments ${done}/${s.segments.length} done${gpus.length ? `, working on GPU ${gpus.join(',')}` : ''}${speech}`;
}

export async function generate(o: ClientOptions & { text: string; video?: string; out?: string; pollMs?: number; timeoutMs?: number; captions?: string; language?: string }): Promise<void> {
  const form = new FormData();
  form.set('text', o.text);
  if (o.captions) form.set('captions', o.captions);
  if (o.language) form.set('language', o.language);
  if (o.video) {
    const bytes = await readFile(o.video).catch((err: NodeJS.ErrnoException) => {
      throw new Error(`cannot read --video ${o.video}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
    });
    form.set('video', new Blob([bytes]), basename(o.video));
  }
  const sub = await call<{ task_id: string; language?: string }>(o, '/api/generate', { method: 'POST', body: form });
  process.stdout.write(`task ${sub.task_id}${sub.language ? ` (language ${sub.language})` : ''}\n`);
  const tty = process.stdout.isTTY;
  let last = '';
  const deadline = Date.now() + (o.timeoutMs ?? 3_600_000);
  let s: { status: string; phase: string; progress: number; queue_position: number | null; error: string | null; error_code: string | null; segments?: SegmentRow[]; captions?: { srt: string } | null; stream_url?: string | null };
  let streamShown = false;
  for (;;) {
    s = await call(o, `/api/status/${sub.task_id}`);
    // a long script: its stream can be watched while it renders (printed once)
    if (!streamShown && s.segments?.length && s.stream_url) {
      streamShown = true;
      process.stdout.write(`${tty ? '\r\x1b[K' : ''}${streamLine(o, s.stream_url)}\n`);
    }
    const line = progressLine(s) + segmentsLine(s);
    if (tty) process.stdout.write(`\r${line}\x1b[K`); // clear what a longer line left
    else if (`${s.phase}${segmentsLine(s)}` !== last) process.stdout.write(`${line}\n`);
    last = `${s.phase}${segmentsLine(s)}`;
    if (FINAL.has(s.status)) break;
    if (Date.now() > deadline) throw new Error(`gave up waiting after ${Math.round((o.timeoutMs ?? 3_600_000) / 1000)} s; the task goes on: heygem-gateway tasks --url ${o.url}`);
    await sleep(o.pollMs ?? 500);
  }
  if (tty) process.stdout.write('\n');
  if (s.status !== 'completed') {
    process.stderr.write(`task ${s.status}: ${s.error_code ?? ''} ${s.error ?? ''}\n`);
    process.exitCode = 1;
    return;
  }
  const out = o.out ?? `${sub.task_id}.mp4`;
  const res = await request(o, `/api/download/${sub.task_id}`);
  if (!res.ok || !res.body) throw new Error(httpErrorMessage(`${o.url}/api/download/${sub.task_id}`, res.status, (await res.json().catch(() => ({}))) as { error?: string; code?: string }));
  await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(out));
  process.stdout.write(`saved ${out}\n`);
  if (s.captions?.srt) {
    const srt = await request(o, s.captions.srt);
    if (srt.ok) {
      const path = `${out.replace(/\.mp4$/i, '')}.srt`;
      await pipeline(Readable.fromWeb(srt.body as import('node:stream/web').ReadableStream), createWriteStream(path));
      process.stdout.write(`saved ${path}\n`);
    }
  }
}
