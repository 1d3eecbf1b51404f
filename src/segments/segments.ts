/**
 * Long scripts, wired (docs/segments.md): the submit side (split + rows), the slot side (steps
 * the pipeline calls for a child), the owner of parents (coordinator) and captions for status
 * and download. The gateway builds one per process.
 */
import type { GatewayConfig } from '../config/load.js';
import type { Task } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../tasks/clock.js';
import type { DataPaths } from '../runner/data-paths.js';
import type { TaskLifecycle } from '../tasks/lifecycle.js';
import type { NewTask, TaskStore } from '../store/task-store.js';
import { BackupRenders } from './backup-renders.js';
import { captionCues, type CaptionLayout, type Cue } from './captions.js';
import { RenderCost } from './render-cost.js';
import { SegmentCoordinator } from './coordinator.js';
import { SegmentMedia } from './segment-media.js';
import { SegmentSteps } from './segment-steps.js';
import { Stitcher } from './stitcher.js';
import { HlsStream } from './hls-stream.js';
import { createTask, SpeakingRate } from './submit.js';
import type { Normalize } from '../language/speech-text.js';
import { join } from 'node:path';
import { BASE_CAPTION_STYLE, buildPresets, type CaptionStyle } from '../domain/caption-style.js';
import { FontCatalog } from '../media/fonts.js';
import { OutputFinisher } from './output-finish.js';
import { OutputImages } from './output-images.js';

export interface SegmentsDeps {
  store: TaskStore;
  lifecycle: TaskLifecycle;
  paths: DataPaths;
  clock: Clock;
  log: Logger;
  normalize: Normalize;
}

export class Segments {
  readonly steps: SegmentSteps;
  readonly coordinator: SegmentCoordinator;
  readonly rate: SpeakingRate;
  /** Per-job render cost learned here: the floor of segment length. */
  readonly renderCost = new RenderCost();
  readonly pauseSec: number;
  /** Cue size of captions (config `captions`). */
  readonly layout: CaptionLayout;
  /** Backup renders of segments on this node's idle slots. */
  readonly backups: BackupRenders;
  /** The HLS stream of a task: watch a long script while it renders. */
  readonly stream: HlsStream;
  /** Uploaded backgrounds and watermarks (docs/output.md). */
  readonly images: OutputImages;
  /** Caption style presets: built-ins and config `captions.styles`. */
  readonly captionPresets: Record<string, CaptionStyle>;
  private readonly media: SegmentMedia;
  /** Installed font families (caption styles name one). */
  readonly fonts = new FontCatalog();

  constructor(
    private readonly config: GatewayConfig,
    private readonly d: SegmentsDeps,
  ) {
    this.layout = { maxLines: config.captions.maxLines, maxLineChars: config.captions.maxLineChars, maxLineCharsCjk: config.captions.maxLineCharsCjk };
    const captionStyle = { font: config.captions.font, maxLineEm: Math.max(this.layout.maxLineCharsCjk, this.layout.maxLineChars * 0.55) };
    const media = (this.media = new SegmentMedia({ ffmpegPath: config.media.ffmpeg, ffprobePath: config.media.ffprobe, timeoutMs: config.media.timeoutMs, captionStyle }));
    this.pauseSec = config.segments.pauseMs / 1000;
    this.images = new OutputImages(join(d.paths.root, 'output-images'), config.media.ffprobe, config.media.ffmpeg);
    const base = { ...BASE_CAPTION_STYLE, font: config.captions.font, maxLines: this.layout.maxLines, maxLineChars: this.layout.maxLineChars, maxLineCharsCjk: this.layout.maxLineCharsCjk };
    this.captionPresets = buildPresets(base, config.captions.styles).presets; // problems were refused when the config was loaded
    const finisher = new OutputFinisher(media, this.images, d.paths, { ffmpegPath: config.media.ffmpeg, timeoutMs: config.media.timeoutMs, captionStyle });
    this.steps = new SegmentSteps(d.store, media, d.paths, { pauseMs: config.segments.pauseMs, levelDb: config.segments.levelDb, layout: this.layout, partToleranceSec: config.segments.partTolerance, finisher });
    this.stream = new HlsStream(d.store, media, d.paths, d.log.child({ component: 'stream' }));
    const stitcher = new Stitcher(media, d.paths, this.pauseSec, finisher, this.layout);
    stitcher.beforeCleanUp = (parent) => this.stream.keep(parent);
    stitcher.beforeDiscard = (parent) => this.stream.settle(parent.id);
    this.coordinator = new SegmentCoordinator(d.store, d.lifecycle, stitcher, d.clock, d.log.child({ component: 'segments' }), {
      sweepMs: config.scheduler.reapIntervalMs,
      staleStitchMs: Math.max(600_000, 10 * config.scheduler.leaseMs),
    });
    this.rate = new SpeakingRate(config.segments.charsPerSecond);
    this.backups = new BackupRenders(d.paths, d.clock, d.log.child({ component: 'backups' }), {
      maxPerRender: config.segments.backupRenders ?? (config.engine === 'heygem' ? 1 : 0),
    });
    d.lifecycle.on('change', ({ task }) => {
      if (task.state !== 'completed') return;
      if (task.parentId) this.stream.prepare(task);
      this.rate.observe(task, this.pauseSec);
      this.renderCost.observe(task);
    });
  }

  /** Store a new task: one row, or a parent with one child per segment. */
  create(t: NewTask & { normalizedText: string }): Promise<Task> {
    const gpus = async () => (await this.d.store.listSlots()).filter((s) => this.d.clock.now() - s.heartbeatAt < 3 * this.config.scheduler.leaseMs).length || 1;
    return createTask({ insert: (task, segments) => this.d.lifecycle.insert(task, segments), normalize: this.d.normalize, config: this.config.segments, rate: this.rate, gpus, minSeconds: () => this.renderCost.minSegmentSeconds() }, t);
  }

  /** The task's segments (empty for a one-segment task). */
  async segmentsOf(task: Task): Promise<Task[]> {
    return task.segmentCount !== null ? this.d.store.listSegments(task.id) : [];
  }

  /** Width and height of a video's first stream (caption previews). */
  frameSize(video: string, signal?: AbortSignal): Promise<{ width: number; height: number }> {
    return this.media.frameSize(video, signal);
  }

  /** Caption cues once the speech is known (null before). */
  async cues(task: Task): Promise<Cue[] | null> {
    return captionCues(task, await this.segmentsOf(task), this.pauseSec, this.layout);
  }
}
