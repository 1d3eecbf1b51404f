/** A gateway driving a simulated farm of protocol-exact HeyGem fakes on loopback (one per GPU). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulatedFarm } from '../../src/simulate/simulate.js';
import { FAST_HEYGEM, startTestGateway, type TestGateway } from './gateway.js';

export type Farm = Awaited<ReturnType<typeof startSimulatedFarm>>;

/** The `slots` config of a gateway (or runner) driving `farm`'s container pairs. */
export const slotsOf = (farm: Pick<Farm, 'slots'>) =>
  farm.slots.map((s) => ({ id: s.id, video: { url: s.video.url, dataDir: s.videoDataDir }, tts: { url: s.tts.url, dataDir: s.ttsDataDir } }));

/**
 * Start `gpus` fake container pairs and a heygem-engine gateway over them; both are closed by
 * the test's `cleanups`. `farm` options override the fakes' (renderMs, failRate, …); `gateway`
 * keys replace the defaults below whole (a `scheduler` given there replaces this one).
 */
export async function startGatewayOnFarm(
  cleanups: Array<() => Promise<void>>,
  o: { gpus: number; ttsMs: number; dirPrefix: string; farm?: Record<string, unknown>; gateway?: Record<string, unknown> },
): Promise<{ farm: Farm; t: TestGateway }> {
  const baseDir = mkdtempSync(join(tmpdir(), o.dirPrefix));
  const farm = await startSimulatedFarm({ gpus: o.gpus, baseDir, host: '127.0.0.1', videoBasePort: 0, ttsBasePort: 0, renderMs: 300, ttsMs: o.ttsMs, ...o.farm });
  cleanups.push(() => farm.close());
  const t = await startTestGateway({
    engine: 'heygem',
    slots: slotsOf(farm),
    heygem: FAST_HEYGEM,
    scheduler: { retryBaseDelayMs: 20, healthProbeIntervalMs: 200 },
    ...o.gateway,
  });
  cleanups.push(() => t.close());
  return { farm, t };
}
