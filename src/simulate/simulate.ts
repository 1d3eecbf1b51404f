/**
 * A simulated GPU farm: one fake video + one fake TTS container per GPU, each with its own data
 * dir (`<baseDir>/gpu<n>`, `<baseDir>/tts<n>`), as the gateway expects real ones to be laid out.
 * Port 0 = ephemeral (tests); otherwise base + n, like the replaced system's layout.
 */
import { join } from 'node:path';
import { prepareResults, type PreparedResultsSpec } from './prepared-results.js';
import { startFakeTtsContainer, type FakeTtsContainer, type FakeTtsOptions } from './tts-container.fake.js';
import { startFakeVideoContainer, type FakeSpoil, type FakeVideoContainer, type FakeVideoOptions } from './video-container.fake.js';

export interface FarmOptions {
  gpus: number;
  baseDir: string;
  videoBasePort?: number;
  ttsBasePort?: number;
  host?: string;
  renderMs?: number;
  /** Fixed synthesis time per request; default: 10 ms per character. */
  ttsMs?: number;
  failRate?: number;
  video?: Partial<FakeVideoOptions>;
  tts?: Partial<FakeTtsOptions>;
  /**
   * A lightweight farm: results are copies of pre-encoded files (prepared-results.ts), made
   * here before the first container starts; the fakes spawn no encoder per job.
   */
  prepared?: PreparedResultsSpec;
  /** GPUs that render badly, by GPU number (video fake `spoil`, docs/checks.md). */
  spoil?: Record<number, FakeSpoil>;
}

export interface FarmSlot {
  id: number;
  video: FakeVideoContainer;
  tts: FakeTtsContainer;
  videoDataDir: string;
  ttsDataDir: string;
}

export async function startSimulatedFarm(o: FarmOptions): Promise<{ slots: FarmSlot[]; close(): Promise<void> }> {
  const slots: FarmSlot[] = [];
  const port = (base: number | undefined, n: number) => (base ? base + n : 0);
  if (o.prepared) await prepareResults(o.prepared);
  const light: Partial<FakeVideoOptions> = o.prepared ? { produceResult: 'prepared', prepared: o.prepared } : {};
  try {
    for (let n = 0; n < o.gpus; n++) {
      const videoDataDir = join(o.baseDir, `gpu${n}`);
      const ttsDataDir = join(o.baseDir, `tts${n}`);
      const video = await startFakeVideoContainer({ dataDir: videoDataDir, renderMs: o.renderMs, failRate: o.failRate, seed: n + 1, spoil: o.spoil?.[n] ?? null, ...light, ...o.video, host: o.host, port: port(o.videoBasePort, n) });
      const tts = await startFakeTtsContainer({ dataDir: ttsDataDir, fixedMs: o.ttsMs, seed: n + 1, ...o.tts, host: o.host, port: port(o.ttsBasePort, n) });
      slots.push({ id: n, video, tts, videoDataDir, ttsDataDir });
    }
  } catch (err) {
    await Promise.all(slots.flatMap((s) => [s.video.close(), s.tts.close()]));
    throw err;
  }
  return {
    slots,
    close: async () => {
      await Promise.all(slots.flatMap((s) => [s.video.close(), s.tts.close()]));
    },
  };
}
