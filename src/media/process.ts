/**
 * Run an external program with an argument array (never a shell string), bounded in time and
 * output, killable through an AbortSignal (cancel reaches every ffmpeg child: docs/lifecycle.md).
 */
import { spawn } from 'node:child_process';

export interface RunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Keep at most this many bytes of stdout (stderr keeps its tail). @defaultValue 16 MiB */
  maxOutputBytes?: number;
  input?: string | Buffer;
}

export interface RunResult {
  stdout: string;
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
    const child = spawn(cmd, args, { stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
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
      if (ended) return reject(new ProcessError(`${cmd} ${ended === 'timeout' ? `timed out after ${opts.timeoutMs} ms` : 'aborted'}`, code, tail, ended));
      if (code !== 0) return reject(new ProcessError(`${cmd} exited with ${code}: ${tail}`, code, tail, 'exit'));
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: err });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}
