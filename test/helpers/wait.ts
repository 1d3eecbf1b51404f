/** Poll `check` until it returns a truthy value, bounded by `timeoutMs` (tests wait for conditions, not for time). */
import { setTimeout as sleep } from 'node:timers/promises';

export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 20_000, stepMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await sleep(stepMs);
  }
  throw new Error(`waitFor: condition not met within ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ''}`);
}
