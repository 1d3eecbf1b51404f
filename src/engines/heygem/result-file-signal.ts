/**
 * A cheap "the render is finishing" signal: the container writes `<code>-r.mp4` into its data
 * dir's temp/ folder (which the gateway sees on the host) as it finishes. Watching that folder
 * lets the poll loop query at once instead of at its next tick. The signal only ever *wakes* the
 * loop early; the decision is still the container's `status` (the file may appear before done).
 *
 * fs.watch (inotify on Linux) is used when it works; where it does not (some network or
 * overlay file systems, a folder replaced underneath), the file is looked for with stat() every
 * `fallbackMs` instead.
 */
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';

export class ResultFileSignal {
  private watcher: FSWatcher | null = null;
  private fired = false;
  private wake: (() => void) | null = null;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly name: string,
    private readonly fallbackMs: number,
  ) {}

  /** Start watching `<dir>/<name>`; `enabled: false` gives a signal that never fires. */
  static async open(dir: string, name: string, opts: { enabled: boolean; fallbackMs: number }): Promise<ResultFileSignal> {
    const s = new ResultFileSignal(dir, name, opts.fallbackMs);
    if (!opts.enabled) {
      s.closed = true;
      return s;
    }
    try {
      s.watcher = watch(dir, { persistent: false }, (_event, file) => {
        // Some platforms omit the name: treat any change as a reason to look.
        if (file === null || String(file) === name) s.fire();
      });
      s.watcher.on('error', () => s.stopWatching());
    } catch {
      s.watcher = null;
    }
    // Already there (a resumed render, or it appeared before we looked)?
    if (await s.exists()) s.fire();
    return s;
  }

  /** true once the file has been seen. */
  get seen(): boolean {
    return this.fired;
  }

  /** true when fs.watch is active (false: stat fallback, or disabled). */
  get watching(): boolean {
    return this.watcher !== null;
  }

  /**
   * Wait `ms`, or less if the file appears meanwhile (only the first appearance wakes early).
   * Rejects with the signal's reason when `signal` aborts.
   */
  wait(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      let poll: NodeJS.Timeout | null = null;
      const done = () => {
        clearTimeout(timer);
        if (poll) clearInterval(poll);
        signal.removeEventListener('abort', onAbort);
        this.wake = null;
      };
      const timer = setTimeout(() => {
        done();
        resolve();
      }, ms);
      const onAbort = () => {
        done();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      if (this.fired || this.closed) return;
      this.wake = () => {
        done();
        resolve();
      };
      if (!this.watcher && this.fallbackMs < ms) {
        poll = setInterval(() => {
          void this.exists().then((yes) => yes && this.fire());
        }, this.fallbackMs);
      }
    });
  }

  close(): void {
    this.closed = true;
    this.stopWatching();
  }

  private fire(): void {
    if (this.fired) return;
    this.fired = true;
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private stopWatching(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  private exists(): Promise<boolean> {
    return stat(join(this.dir, this.name)).then(
      () => true,
      () => false,
    );
  }
}
