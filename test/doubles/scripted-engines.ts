/**
 * In-process doubles for scheduler tests: engines with scripted delays/failures and a Media that
 * never spawns. (The protocol-exact container fakes live in src/simulate/; these stand in for the
 * engine *ports*, one level up, so runner logic is tested without HTTP or ffmpeg.)
 */
import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { TaskError } from '../../src/domain/errors.js';
import type { RenderRequest, RenderResult, SlotEngines, SpeechEngine, SpeechRequest, SpeechResult, VideoEngine } from '../../src/engines/ports.js';
import type { Media, ProbeResult, VerifyOutcome, VideoPackets } from '../../src/media/media.js';

export interface Script {
  ttsMs: number;
  renderMs: number;
  /** Return a TaskError to throw for this task id (or undefined to succeed). */
  ttsFault?: (taskId: string) => TaskError | undefined;
  renderFault?: (taskId: string) => TaskError | undefined;
  /** The render also waits for this (a condition, not a longer sleep: tests on a busy machine). */
  renderGate?: (taskId: string) => Promise<void>;
}

export interface Timeline {
  events: Array<{ slot: number; taskId: string; what: 'tts-start' | 'tts-end' | 'render-start' | 'render-end'; at: number }>;
}

const abortable = (ms: number, signal: AbortSignal) =>
  sleep(ms, undefined, { signal }).catch(() => {
    throw new TaskError('canceled', 'Task was canceled');
  });

export class ScriptedSpeech implements SpeechEngine {
  readonly kind = 'scripted';
  constructor(private readonly slot: number, private readonly script: Script, private readonly tl: Timeline) {}
  async synthesize(req: SpeechRequest): Promise<SpeechResult> {
    this.tl.events.push({ slot: this.slot, taskId: req.taskId, what: 'tts-start', at: Date.now() });
    await abortable(this.script.ttsMs, req.signal);
    const fault = this.script.ttsFault?.(req.taskId);
    if (fault) throw fault;
    await writeFile(req.outPath, 'wav');
    this.tl.events.push({ slot: this.slot, taskId: req.taskId, what: 'tts-end', at: Date.now() });
    return { audioPath: req.outPath, durationSec: 1 };
  }
  async health(): Promise<boolean> {
    return true;
  }
}

export class ScriptedVideo implements VideoEngine {
  readonly kind = 'scripted';
  active = 0;
  maxActive = 0;
  constructor(private readonly slot: number, private readonly script: Script, private readonly tl: Timeline) {}
  async render(req: RenderRequest): Promise<RenderResult> {
    // `active` counts renders holding the engine: from start until the engine reports done.
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    let holding = true;
    const letGo = () => {
      if (holding) this.active -= 1;
      holding = false;
    };
    try {
      this.tl.events.push({ slot: this.slot, taskId: req.code, what: 'render-start', at: Date.now() });
      req.onSubmitted?.();
      req.onProgress?.({ progress: 20 });
      await abortable(this.script.renderMs, req.signal);
      if (this.script.renderGate) await this.script.renderGate(req.code);
      const fault = this.script.renderFault?.(req.code);
      if (fault) throw fault;
      letGo();
      req.onCollecting?.();
      await writeFile(req.outPath, 'mp4');
      this.tl.events.push({ slot: this.slot, taskId: req.code, what: 'render-end', at: Date.now() });
      return { outPath: req.outPath, durationSec: 1, engineData: { status: 2 } };
    } finally {
      letGo();
    }
  }
  async health(): Promise<boolean> {
    return true;
  }
}

export function scriptedSlots(n: number, script: Script, tl: Timeline): Array<SlotEngines & { video: ScriptedVideo }> {
  return Array.from({ length: n }, (_, id) => ({
    id,
    speech: new ScriptedSpeech(id, script, tl),
    video: new ScriptedVideo(id, script, tl),
    videoPort: null,
    ttsPort: null,
    videoUrl: null,
    ttsUrl: null,
  }));
}

/** A Media that answers without ffmpeg (inputs are assumed valid video with audio). */
export class InertMedia implements Media {
  async probe(): Promise<ProbeResult> {
    return { formatName: 'mov,mp4', durationSec: 2, hasVideo: true, hasAudio: true, videoCodec: 'h264', audioCodec: 'aac', width: 640, height: 480 };
  }
  async extractAudio(_input: string, outWav: string): Promise<void> {
    await writeFile(outWav, 'wav');
  }
  async duration(): Promise<number> {
    return 1;
  }
  async muxLoop(_v: string, _a: string, out: string): Promise<void> {
    await writeFile(out, 'mp4');
  }
  async verifyMp4(): Promise<VerifyOutcome> {
    return { ok: true, probe: { formatName: 'mov,mp4', durationSec: 1, hasVideo: true, hasAudio: true } };
  }
  /** One second at 25 fps with its sound: as long as the scripted speech (no cut needed). */
  async videoPackets(): Promise<VideoPackets> {
    return { fps: 25, pts: Array.from({ length: 25 }, (_, i) => i / 25), audioSec: 1 };
  }
  async transcodeFace(_input: string, out: string): Promise<void> {
    await writeFile(out, 'mp4');
  }
  async makeDefaultFace(out: string): Promise<void> {
    await writeFile(out, 'mp4');
  }
}
