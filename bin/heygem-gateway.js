#!/usr/bin/env node
// The CLI on the compiled build: plain `node`, one process, so signals (SIGTERM from systemd,
// Docker or `npm start`) reach the server itself. Builds first only when dist/ is missing or
// older than src/ (see bin/build.js); `serve` also needs the web UI.
import { ensureBuilt } from './build.js';

try {
  ensureBuilt({ ui: process.argv[2] === 'serve' });
} catch (err) {
  process.stderr.write(`heygem-gateway: ${err.message}\n`);
  process.exit(1);
}
await import('../dist/cli/main.js');
