/**
 * A protocol-exact fake of HeyGem's fish-speech TTS container (docs/protocol.md): POST /v1/invoke
 * → raw WAV bytes (PCM16, 44.1 kHz, mono) or a JSON error {statusCode, message, error};
 * POST /v1/health (blocks while synthesizing: one request at a time); POST
 * /v1/preprocess_and_tran (normalizes a reference voice, deletes the uploaded original).
 * Failure injection: HTTP 500, never answering, a header-only WAV, a JSON error.
 */
import { copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, join } from 'node:path';
import { makeWav, parseWavHeader } from '../media/wav.js';
import { seededRandom, startSerialServer } from './serial-server.js';

export interface FakeTtsOptions {
  dataDir: string;
  containerDataDir?: string;
  msPerChar?: number;
  fixedMs?: number;
  secondsPerChar?: number;
  failRate?: number;
  seed?: number;
  failMode?: '500' | 'timeout' | 'tiny' | 'json-error';
  latencyMs?: number;
  startupDelayMs?: number;
  /**
   * Whether HeyGem's ASR container (heygem-asr) is reachable: without it
   * /v1/preprocess_and_tran fails, as the real server's does. @defaultValue true
   */
  asr?: boolean;
  /** What the ASR hears in any reference voice (its sentences, joined by `|||` in the reply). */
  transcript?: string[];
}

export interface FakeTtsContainer {
  url: string;
  port: number;
  close(): Promise<void>;
  stats(): { invokes: number; lastRequest?: unknown; requests: unknown[]; preprocesses: unknown[] };
  setOptions(p: Partial<FakeTtsOptions>): void;
}

const SAMPLE_RATE = 44100;

function jsonError(res: ServerResponse, statusCode: number, message: string): void {
  res.writeHead(statusCode, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ statusCode, message, error: statusCode >= 500 ? 'Internal Server Error' : 'Bad Request' }));
}

/** A quiet 180 Hz tone: real audio of the requested length, cheap to make. */
export function toneWav(seconds: number): Buffer {
  const n = Math.round(seconds * SAMPLE_RATE);
  const samples = new Int16Array(n);
  for (let i = 0; i < n; i++) samples[i] = Math.round(2000 * Math.sin((2 * Math.PI * 180 * i) / SAMPLE_RATE));
  return makeWav(samples, SAMPLE_RATE);
}

export async function startFakeTtsContainer(opts: FakeTtsOptions & { port?: number; host?: string }): Promise<FakeTtsContainer> {
  const o: FakeTtsOptions = { containerDataDir: '/code/data', msPerChar: 10, secondsPerChar: 0.06, ...opts };
  await mkdir(o.dataDir, { recursive: true });
  let random = seededRandom(o.seed ?? 1);
  const requests: unknown[] = [];
  const preprocesses: unknown[] = [];
  const hung: ServerResponse[] = [];
  const mapPath = (p: string) => (p.startsWith(o.containerDataDir! + '/') ? join(o.dataDir, p.slice(o.containerDataDir!.length + 1)) : null);
  const exists = (p: string | null) => (p ? stat(p).then(() => true, () => false) : Promise.resolve(false));

  const invoke = async (body: Record<string, unknown>, res: ServerResponse): Promise<void> => {
    requests.push(body);
    const text = body.text;
    if (typeof text !== 'string' || !text.trim()) return jsonError(res, 400, 'text is required');
    if (body.format !== undefined && body.format !== 'wav') return jsonError(res, 400, `unsupported format ${String(body.format)}`);
    const chunk = body.chunk_length ?? 200;
    if (typeof chunk !== 'number' || !Number.isInteger(chunk) || chunk < 100 || chunk > 300) return jsonError(res, 400, 'chunk_length must be an integer between 100 and 300');
    if (typeof body.reference_audio !== 'string' || !(await exists(mapPath(body.reference_audio)))) {
      return jsonError(res, 500, `reference audio not found: ${String(body.reference_audio)}`);
    }
    const ms = o.fixedMs ?? (o.msPerChar ?? 10) * text.length;
    await new Promise((r) => setTimeout(r, ms));
    if (o.failRate && random() < o.failRate) {
      if (o.failMode === 'timeout') return void hung.push(res); // never answers
      if (o.failMode === 'tiny') {
        res.writeHead(200, { 'content-type': 'audio/wav' });
        return void res.end(makeWav(new Int16Array(0), SAMPLE_RATE));
      }
      return jsonError(res, 500, o.failMode === 'json-error' ? 'CUDA out of memory' : 'internal error');
    }
    const wav = toneWav(Math.max(0.5, text.length * (o.secondsPerChar ?? 0.06)));
    res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': wav.length });
    res.end(wav);
  };

  // DESIGN of the real route: {"format","reference_audio" (relative to the data dir),"lang"} →
  // {"code":0,"msg","asr_format_audio_url","reference_audio_text"}; the uploaded original is
  // deleted; a clip of 20 s or more comes back at a path inside the container, off the volume.
  const preprocess = async (body: Record<string, unknown>, res: ServerResponse): Promise<void> => {
    preprocesses.push(body);
    const rel = typeof body.reference_audio === 'string' ? body.reference_audio.replace(/^\/+/, '') : '';
    const src = join(o.dataDir, rel);
    if (body.format !== 'wav') return jsonError(res, 400, `unsupported format ${String(body.format)}`);
    if (body.lang !== 'zh' && body.lang !== 'en') return jsonError(res, 400, `unsupported lang ${String(body.lang)}`);
    if (!rel || rel.split('/').includes('..') || !(await exists(src))) return jsonError(res, 400, 'reference_audio not found');
    if (o.asr === false) return jsonError(res, 500, 'ASR service unavailable (heygem-asr:10095 connection refused)');
    const wav = parseWavHeader(await readFile(src));
    const long = (wav?.durationSec ?? 0) >= 20;
    const outRel = `asr/${basename(rel, '.wav')}-format.wav`;
    if (!long) {
      await mkdir(join(o.dataDir, 'asr'), { recursive: true });
      await copyFile(src, join(o.dataDir, outRel));
    }
    await rm(src, { force: true }); // the real server deletes the uploaded original
    const text = (o.transcript ?? ['part one', 'part two']).join('|||');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 0, msg: 'ok', asr_format_audio_url: long ? `/code/sentence/${basename(rel, '.wav')}-format.wav` : `${o.containerDataDir}/${outRel}`, reference_audio_text: text }));
  };

  const handle = async (req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> => {
    if (o.latencyMs) await new Promise((r) => setTimeout(r, o.latencyMs));
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (req.method === 'POST' && path === '/v1/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ status: 'ok' }));
    }
    if (req.method !== 'POST' || (path !== '/v1/invoke' && path !== '/v1/preprocess_and_tran')) return jsonError(res, 404, 'Not Found');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      if (typeof body !== 'object' || body === null) throw new Error('not an object');
    } catch {
      return jsonError(res, 400, 'invalid JSON body');
    }
    return path === '/v1/invoke' ? invoke(body, res) : preprocess(body, res);
  };

  const server = await startSerialServer(handle, { port: opts.port, host: opts.host, startupDelayMs: o.startupDelayMs });
  return {
    url: server.url,
    port: server.port,
    close: async () => {
      hung.forEach((r) => r.destroy());
      await server.close();
    },
    stats: () => ({ invokes: requests.length, lastRequest: requests.at(-1), requests: [...requests], preprocesses: [...preprocesses] }),
    setOptions: (p) => {
      Object.assign(o, p);
      if (p.seed !== undefined) random = seededRandom(p.seed);
    },
  };
}
