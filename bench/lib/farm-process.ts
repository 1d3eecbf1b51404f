/** A simulated farm in a child process (see farm-child.ts), with its containers' records. */
import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { FarmOptions } from '../../src/simulate/simulate.js';
import type { FakeVideoContainer } from '../../src/simulate/video-container.fake.js';

export interface RemoteSlot {
  id: number;
  videoUrl: string;
  ttsUrl: string;
  videoDataDir: string;
  ttsDataDir: string;
}

export interface RemoteFarm {
  slots: RemoteSlot[];
  videoStats(): Promise<Array<ReturnType<FakeVideoContainer['stats']>>>;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./farm-child.ts', import.meta.url));
const REPLY_TIMEOUT_MS = 60_000;

function ask<T>(child: ChildProcess, msg: unknown, want: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`farm process: no "${want}" reply within ${REPLY_TIMEOUT_MS} ms`)), REPLY_TIMEOUT_MS);
    const onMessage = (m: { type: string; message?: string }) => {
      if (m.type === want) finish(null, m as T);
      else if (m.type === 'error') finish(new Error(`farm process: ${m.message}`));
    };
    const onExit = () => finish(new Error('farm process exited'));
    function finish(err: Error | null, value?: T) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value!);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(msg as object);
  });
}

/**
 * `nice`: the farm process's niceness (its ffmpeg children inherit it), so on a small machine the
 * simulated containers' own encoding yields to the gateway instead of posing as its cost.
 */
export async function startFarmProcess(options: FarmOptions, seeds?: number[], nice = 0): Promise<RemoteFarm> {
  // Its own process group too (detached): nothing sent to the bench's group reaches the fakes, and
  // they are never counted with the gateway; it exits when the IPC channel closes.
  const child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
  try {
    if (nice) setPriority(child.pid!, nice);
    const { slots } = await ask<{ slots: RemoteSlot[] }>(child, { type: 'start', options, seeds }, 'ready');
    return {
      slots,
      videoStats: async () => (await ask<{ video: Array<ReturnType<FakeVideoContainer['stats']>> }>(child, { type: 'stats' }, 'stats')).video,
      close: async () => {
        await ask(child, { type: 'close' }, 'closed').catch(() => child.kill());
      },
    };
  } catch (err) {
    child.kill();
    throw err;
  }
}
