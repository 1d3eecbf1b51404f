/**
 * Run an external program with an argument array (never a shell string), bounded in time and
 * output, killable through an AbortSignal (cancel reaches every ffmpeg child: docs/lifecycle.md).
 *
 * Children run at a lower CPU priority (nice 10 by default): ffmpeg and espeak-ng are batch
 * work, and on a small machine a preview render at normal priority pushes the API's p99 into
 * seconds. `nice` (coreutils) starts the program already niced, so every thread ffmpeg creates
 * inherits it; without `nice` on PATH the child is reniced right after spawn (os.setPriority).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { setPriority } from 'node:os';
import { delimiter, join } from 'node:path';

export interface RunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Keep at most this many bytes of stdout (stderr keeps its tail). @defaultValue 16 MiB */
  maxOutputBytes?: number;
  input?: string | Buffer;
  /** Niceness of the child (0 = same priority as the gateway). @defaultValue media.niceness (10) */
  niceness?: number;
}

export const DEFAULT_NICENESS = 10;

let defaultNiceness = DEFAULT_NICENESS;

/** Process-wide default for children that do not say (config media.niceness, set at start). */
export function setDefaultNiceness(n: number): void {
  defaultNiceness = Math.max(0, Math.min(19, Math.round(n)));
}

let nicePath: string | null | undefined;

/** `nice` on PATH, looked up once. */
export function findNice(): string | null {
  if (nicePath !== undefined) return nicePath;
  nicePath = null;
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const p = join(dir, 'nice');
    try {
      accessSync(p, constants.X_OK);
      nicePath = p;
      break;
    } catch {
      /* next */
    }
  }
  return nicePath;
}

/** The program and arguments to spawn for `cmd args` at `niceness` (pure apart from the PATH lookup). */
export function niceCommand(cmd: string, args: readonly string[], niceness: number, nice = findNice()): { file: string; args: string[]; viaNice: boolean } {
  if (niceness > 0 && nice) return { file: nice, args: ['-n', String(niceness), cmd, ...args], viaNice: true };
  return { file: cmd, args: [...args], viaNice: false };
}

export interface RunResult {
  stdout: string;
  /** stdout as bytes, for binary output (raw video frames). */
  stdoutBytes: Buffer;
  stderr: string;
}

export class ProcessError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderrTail: string,
    readonly kind: 'exit' | 'timeout' | 'aborted' | 'spawn',
  ) {
    super(message);
    this.name = kind === 'aborted' ? 'AbortError' : 'ProcessError';
  }
}

const KILL_GRACE_MS = 2000;

export function runProcess(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const max = opts.maxOutputBytes ?? 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new ProcessError(`${cmd} aborted`, null, '', 'aborted'));
    const niceness = Math.max(0, Math.min(19, opts.niceness ?? defaultNiceness));
    const how = niceCommand(cmd, args, niceness);
    const child = spawn(how.file, how.args, { stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (niceness > 0 && !how.viaNice && child.pid !== undefined) {
      try {
        setPriority(child.pid, niceness);
      } catch {
        /* not permitted here: run at normal priority */
      }
    }
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let ended: 'timeout' | 'aborted' | null = null;
    child.stdout!.on('data', (d: Buffer) => {
      if (outBytes < max) out.push(d);
      outBytes += d.length;
    });
    child.stderr!.on('data', (d: Buffer) => {
      err = (err + d.toString('utf8')).slice(-8192);
    });
    const kill = (why: 'timeout' | 'aborted') => {
      if (ended || child.exitCode !== null) return;
      ended = why;
      child.kill('SIGTERM');
      setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), KILL_GRACE_MS).unref();
    };
    const timer = opts.timeoutMs ? setTimeout(() => kill('timeout'), opts.timeoutMs) : null;
    const onAbort = () => kill('aborted');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (e) => {
      done();
      reject(new ProcessError(`cannot run ${cmd}: ${e.message}`, null, '', 'spawn'));
    });
    child.on('close', (code) => {
      done();
      const tail = err.trim().split('\n').slice(-5).join('\n');
      // `nice` answers 126/127 when it cannot run the program: the same fault as ENOENT.
      if (how.viaNice && (code === 126 || code === 127) && /nice:/.test(tail)) return reject(new ProcessError(`cannot run ${cmd}: ${tail}`, null, tail, 'spawn'));
      if (ended) return reject(new ProcessError(`${cmd} ${ended === 'timeout' ? `timed out after ${opts.timeoutMs} ms` : 'aborted'}`, code, tail, ended));
      if (code !== 0) return reject(new ProcessError(`${cmd} exited with ${code}: ${tail}`, code, tail, 'exit'));
      const bytes = Buffer.concat(out);
      resolve({ stdout: bytes.toString('utf8'), stdoutBytes: bytes, stderr: err });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}
