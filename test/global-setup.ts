/**
 * Once per test run: make sure the build that bin/heygem-gateway.js runs (dist/, web/dist/) is
 * current, so tests that spawn the CLI never pay for (or race on) a rebuild. A no-op on a fresh
 * `npm ci`, which already built through `prepare`.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['bin/build.js', '--if-stale'], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 300_000 });
}
