/**
 * `simulate`: start protocol-exact fake HeyGem containers (one video + one TTS per GPU) on
 * loopback, for demos and benchmarks, and print the matching gateway config.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { startSimulatedFarm } from '../simulate/simulate.js';
import type { FakeSpoil } from '../simulate/video-container.fake.js';

export interface SimulateOptions {
  gpus: number;
  dir: string;
  videoBasePort: number;
  ttsBasePort: number;
  renderMs: number;
  ttsMs?: number;
  /** Results off their speech by a frame count drawn from this list (video fake `lengthErrorFrames`). */
  lengthErrorFrames?: number[];
  /** false: no ASR container, /v1/preprocess_and_tran fails. */
  asr?: boolean;
  /** GPUs whose results come back spoiled (`--spoil 1:black,2:silent`, docs/checks.md). */
  spoil?: Record<number, FakeSpoil>;
}

const SPOILS: readonly FakeSpoil[] = ['black', 'frozen', 'silent', 'drift'];

/** `1:black,2:silent` → {1: 'black', 2: 'silent'}; a bad entry stops the command with a message. */
export function spoilList(s: string | undefined): Record<number, FakeSpoil> | undefined {
  if (!s) return undefined;
  const out: Record<number, FakeSpoil> = {};
  for (const part of s.split(',')) {
    const [gpu, kind] = part.split(':');
    if (!/^\d+$/.test(gpu ?? '') || !SPOILS.includes(kind as FakeSpoil)) throw new Error(`--spoil: "${part}" is not <gpu>:<${SPOILS.join('|')}>`);
    out[Number(gpu)] = kind as FakeSpoil;
  }
  return out;
}

export async function simulate(o: SimulateOptions): Promise<void> {
  const baseDir = resolve(o.dir);
  mkdirSync(baseDir, { recursive: true });
  const farm = await startSimulatedFarm({
    gpus: o.gpus,
    baseDir,
    videoBasePort: o.videoBasePort,
    ttsBasePort: o.ttsBasePort,
    host: '127.0.0.1',
    renderMs: o.renderMs,
    ttsMs: o.ttsMs,
    video: o.lengthErrorFrames ? { lengthErrorFrames: o.lengthErrorFrames } : undefined,
    tts: o.asr === false ? { asr: false } : undefined,
    spoil: o.spoil,
  });
  const config = {
    engine: 'heygem',
    slots: farm.slots.map((s) => ({
      id: s.id,
      video: { url: s.video.url, dataDir: s.videoDataDir },
      tts: { url: s.tts.url, dataDir: s.ttsDataDir },
    })),
  };
  process.stdout.write(`Simulated ${o.gpus} GPU(s). Gateway config for them:\n---\n${stringify(config)}`);
  const stop = async () => {
    await farm.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
