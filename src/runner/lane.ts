/** A FIFO mutex: the video lane of a slot (one render per container, in claim order). */
export class Lane {
  private held = false;
  private waiters: Array<() => void> = [];

  get busy(): boolean {
    return this.held;
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (!this.held) {
      this.held = true;
      return () => this.release();
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== grant);
        reject(signal!.reason);
      };
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(grant);
    });
    return () => this.release();
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next(); // hand over directly: the lane never looks free in between
    else this.held = false;
  }
}
