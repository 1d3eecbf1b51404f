/**
 * Runs a simulated GPU farm (src/simulate/simulate.ts) in its own process for benchmarks: real
 * containers are other processes, and the fake's own work (ffmpeg muxing each result) must not
 * run on the event loop of the gateway being measured. Driven over the IPC channel by
 * farm-process.ts.
 */
import { startSimulatedFarm, type FarmOptions } from '../../src/simulate/simulate.js';

type Msg = { type: 'start'; options: FarmOptions; seeds?: number[] } | { type: 'stats' } | { type: 'close' };

let farm: Awaited<ReturnType<typeof startSimulatedFarm>> | null = null;
const send = (m: unknown) => process.send!(m);

process.on('message', (m: Msg) => {
  void (async () => {
    try {
      if (m.type === 'start') {
        farm = await startSimulatedFarm(m.options);
        m.seeds?.forEach((seed, i) => farm!.slots[i]?.video.setOptions({ seed }));
        send({ type: 'ready', slots: farm.slots.map((s) => ({ id: s.id, videoUrl: s.video.url, ttsUrl: s.tts.url, videoDataDir: s.videoDataDir, ttsDataDir: s.ttsDataDir })) });
      } else if (m.type === 'stats') {
        send({ type: 'stats', video: farm!.slots.map((s) => s.video.stats()) });
      } else if (m.type === 'close') {
        await farm?.close();
        send({ type: 'closed' });
        process.exit(0);
      }
    } catch (err) {
      send({ type: 'error', message: (err as Error).message });
    }
  })();
});
process.on('disconnect', () => process.exit(0)); // the bench died: don't linger
