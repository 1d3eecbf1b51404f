/**
 * The probe render of a degraded slot (docs/checks.md, "Known-bad containers"): one short
 * sentence spoken with the slot's default voice and rendered on the slot's default face — the
 * inputs its operator chose, so a failure says something about the containers, not about a
 * user's upload — then checked like any result. About three seconds of speech: seconds of GPU
 * time, spent only while the slot would be idle anyway.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SlotEngines } from '../engines/ports.js';
import type { ProbeRender } from '../runner/slot-runner.js';
import type { OutputInspector } from './output-gate.js';
import { isFailing } from './output-verdict.js';

export const PROBE_TEXT = 'This is a short test of this graphics card, rendered by the gateway.';

export function createProbeRender(d: {
  inspector: OutputInspector;
  /** Scratch dir for the probe's files (removed after each probe). */
  workDir: string;
  defaults: (slotId: number) => { faceVideo: string; referenceVoice: string };
  now: () => number;
}): ProbeRender {
  return async (engines: SlotEngines, signal?: AbortSignal) => {
    const code = `probe-${engines.id}-${d.now()}`;
    const dir = join(d.workDir, code);
    const own = new AbortController();
    const sig = signal ?? own.signal;
    const { faceVideo, referenceVoice } = d.defaults(engines.id);
    await mkdir(dir, { recursive: true });
    try {
      const speech = await engines.speech.synthesize({ taskId: code, text: PROBE_TEXT, language: 'en', referenceAudio: referenceVoice, outPath: join(dir, 'speech.wav'), signal: sig });
      const video = await engines.video.render({ code, audioPath: speech.audioPath, videoPath: faceVideo, audioDurationSec: speech.durationSec, outPath: join(dir, 'result.mp4'), signal: sig });
      const bad = (await d.inspector.inspect({ video: video.outPath, speech: speech.audioPath, face: faceVideo }, signal)).find((f) => isFailing(f.code));
      return bad ? { code: bad.code, detail: bad.detail } : null;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
