/**
 * A video engine the test drives by hand, standing in for a container that cannot be
 * stopped: a render keeps going after its attempt is canceled or loses its lease (as a real
 * HeyGem job does) and answers whenever the test says — so the test can make an old attempt
 * answer late, after a newer attempt of the same task started.
 */
import { writeFile } from 'node:fs/promises';
import { TaskError } from '../../src/domain/errors.js';
import type { RenderRequest, RenderResult, VideoEngine } from '../../src/engines/ports.js';

interface Pending {
  req: RenderRequest;
  finish: (outcome: 'done' | TaskError) => void;
}

export class ControlledVideo implements VideoEngine {
  readonly kind = 'controlled';
  /** Renders started, by code, in order. */
  readonly started: string[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly waiters: Array<() => void> = [];

  async render(req: RenderRequest): Promise<RenderResult> {
    this.started.push(req.code);
    req.onSubmitted?.();
    req.onProgress?.({ progress: 20 });
    for (const w of this.waiters.splice(0)) w();
    const outcome = await new Promise<'done' | TaskError>((finish) => this.pending.set(req.code, { req, finish }));
    this.pending.delete(req.code);
    if (outcome instanceof TaskError) throw outcome;
    // A late answer still reports progress and "done" like a container would.
    req.onProgress?.({ progress: 90 });
    req.onCollecting?.();
    await writeFile(req.outPath, `mp4 of ${req.code}`);
    return { outPath: req.outPath, durationSec: 1, engineData: { code: req.code } };
  }

  /** Resolve once a render with this code is in progress. */
  async waitStarted(code: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.pending.has(code)) {
      if (Date.now() > deadline) throw new Error(`render ${code} never started (started: ${this.started.join(', ')})`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50).unref();
      });
    }
  }

  finish(code: string, outcome: 'done' | TaskError = 'done'): void {
    const p = this.pending.get(code);
    if (!p) throw new Error(`no render ${code} in progress`);
    p.finish(outcome);
  }

  async health(): Promise<boolean> {
    return true;
  }
}
