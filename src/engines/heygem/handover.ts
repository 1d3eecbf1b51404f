/**
 * Keeps the container's next submit ahead of the previous result's verification. When a render
 * is done the video lane is handed to the next task at once, but both then run on one event
 * loop: verifying spawns ffprobe (a fork that can block the loop for tens of milliseconds on a
 * loaded host) and copies the MP4. Letting the collector wait until the next job is submitted —
 * bounded, so a slot with nothing queued only delays its own completion a little — keeps that
 * work off the GPU's critical path.
 */
export class Handover {
  private waiters: Array<() => void> = [];

  /** The container got its next job (or the attempt to give it one ended). */
  submitted(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves at the next `submitted()`, after `maxMs`, or when `signal` aborts. */
  wait(maxMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted || maxMs <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, maxMs);
      signal.addEventListener('abort', done, { once: true });
      this.waiters.push(done);
    });
  }
}
