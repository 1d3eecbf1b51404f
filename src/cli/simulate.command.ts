/**
 * `simulate`: start protocol-exact fake HeyGem containers (one video + one TTS per GPU) on
 * loopback, for demos and benchmarks, and print the matching gateway config.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { startSimulatedFarm } from '../simulate/simulate.js';

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
