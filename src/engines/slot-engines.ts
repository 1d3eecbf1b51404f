/**
 * The engines of every GPU slot, from the config: per configured slot a HeyGem TTS and video
 * container pair, or the preview engine's CPU slots. The gateway and a remote runner build
 * their slots with the same code.
 */
import type { GatewayConfig, ResolvedSlot } from '../config/load.js';
import type { Media } from '../media/media.js';
import { portOf } from './heygem/http-json.js';
import { HeygemTtsEngine } from './heygem/tts.adapter.js';
import { HeygemVideoEngine } from './heygem/video.adapter.js';
import type { SlotEngines } from './ports.js';
import { PreviewSpeechEngine, PreviewVideoEngine } from './preview/preview.engines.js';

/** Every slot's engines for this config's engine kind. */
export function slotEnginesOf(c: GatewayConfig, media: Media): SlotEngines[] {
  return c.engine === 'heygem' ? c.slots.map((s) => heygemSlot(c, s, media)) : previewSlots(c, media);
}

export function heygemSlot(c: GatewayConfig, s: ResolvedSlot, media: Media): SlotEngines {
  const h = c.heygem;
  return {
    id: s.id,
    speech: new HeygemTtsEngine({
      url: s.ttsUrl,
      hostDataDir: s.ttsDataDir,
      containerDataDir: s.ttsContainerDataDir,
      timeoutMs: h.ttsTimeoutMs,
      timeoutPerCharMs: h.ttsTimeoutPerCharMs,
      healthTimeoutMs: h.requestTimeoutMs,
      params: h.tts,
      prepare: h.preprocessVoices ? { lang: c.library.preprocessLang, timeoutMs: h.ttsTimeoutMs } : undefined,
    }),
    video: new HeygemVideoEngine({
      url: s.videoUrl,
      hostDataDir: s.videoDataDir,
      containerDataDir: s.videoContainerDataDir,
      media,
      pollIntervalMs: h.pollIntervalMs,
      minPollIntervalMs: h.minPollIntervalMs,
      requestTimeoutMs: h.requestTimeoutMs,
      renderTimeoutMs: h.renderTimeoutMs,
      renderTimeoutPerSpeechSecMs: h.renderTimeoutPerSpeechSecMs,
      hangFactor: h.hangFactor,
      hangMinMs: h.hangMinMs,
      defaultRenderSecPerSpeechSec: h.defaultRenderSecPerSpeechSec,
      watchResultFile: h.watchResultFile,
      verifyTimeoutMs: h.verifyTimeoutMs,
      healthTimeoutMs: h.requestTimeoutMs,
    }),
    videoPort: portOf(s.videoUrl),
    ttsPort: portOf(s.ttsUrl),
    videoUrl: s.videoUrl,
    ttsUrl: s.ttsUrl,
  };
}

export function previewSlots(c: GatewayConfig, media: Media): SlotEngines[] {
  return Array.from({ length: c.preview.slots }, (_, id) => ({
    id,
    speech: new PreviewSpeechEngine({ media, espeakPath: c.media.espeak, voice: c.preview.voice, voiceZh: c.preview.voiceZh }),
    video: new PreviewVideoEngine({ media }),
    videoPort: null,
    ttsPort: null,
    videoUrl: null,
    ttsUrl: null,
  }));
}
