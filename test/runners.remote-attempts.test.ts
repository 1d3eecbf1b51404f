/**
 * A remote runner's attempt port (src/runners/remote-attempts.ts) against a scripted runner API:
 * every call is one protocol call fenced by the attempt; a failure is reported once with whether
 * it may be retried (no attempt counting on the runner); an illegal move never leaves the runner;
 * a gateway that is away is waited out. The real protocol runs in runners.integration.test.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { TaskError } from '../src/domain/errors.js';
import type { Task } from '../src/domain/task.js';
import { createLogger } from '../src/logger.js';
import { DataPaths } from '../src/runner/data-paths.js';
import { HeldJobs } from '../src/runners/held-jobs.js';
import { InputCache } from '../src/runners/input-cache.js';
import { JobJournal } from '../src/runners/job-journal.js';
import { RemoteAttempts, type RunnerChanges } from '../src/runners/remote-attempts.js';
import { GatewayUnreachable, type RunnerApi } from '../src/runners/runner-api.client.js';

type Call = { method: string; path: string; body?: unknown; fence?: unknown };

/** Answers from a script, in order; an Error is thrown (the gateway unreachable for a whole call). */
function scriptedApi(answers: Array<{ status: number; body?: Record<string, unknown> } | Error>): { api: RunnerApi; calls: Call[] } {
  const calls: Call[] = [];
  const api = {
    async call(method: string, path: string, c: { body?: unknown; fence?: unknown } = {}) {
      calls.push({ method, path, body: c.body, fence: c.fence });
      const next = answers.shift() ?? { status: 200, body: {} };
      if (next instanceof Error) throw next;
      return { status: next.status, body: next.body ?? {} };
    },
  } as unknown as RunnerApi;
  return { api, calls };
}

function held(state: Task['state']): Task {
  return { id: 't1', state, attempt: 2, leaseToken: 'tok', leaseHolder: 'runner:a', attempts: 0, parentId: null, audioDurationSec: null } as unknown as Task;
}

function portOver(api: RunnerApi) {
  const dir = mkdtempSync(join(tmpdir(), 'hg-remote-attempts-'));
  const paths = new DataPaths(dir);
  const signal = new AbortController().signal;
  const jobs = new HeldJobs(api, paths, new JobJournal(join(dir, 'jobs')), new InputCache(api, join(dir, 'cache'), 10, signal), signal);
  const changes: RunnerChanges = new EventEmitter();
  const seen: string[] = [];
  changes.on('change', (c) => seen.push(`${c.from}→${c.task.state}`));
  const log = createLogger('silent');
  return { attempts: new RemoteAttempts(api, jobs, changes, { now: () => 1000 }, log, () => 4000), seen };
}

const wire = (state: Task['state']) => ({ ...held(state), videoPath: null, referenceAudio: null, audioPath: null, outputPath: null, inputs: { video: null, voice: null } });

describe('RemoteAttempts', () => {
  it('reports a failure once, with its code and whether it may be retried; the gateway answers the verdict', async () => {
    const { api, calls } = scriptedApi([{ status: 200, body: wire('queued') }]);
    const { attempts, seen } = portOver(api);
    const next = await attempts.fail(held('rendering'), new TaskError('render_failed', 'the container said no', { retryable: true }));
    expect(calls).toEqual([{ method: 'POST', path: '/jobs/t1/error', body: { code: 'render_failed', message: 'the container said no', retryable: true }, fence: { attempt: 2, token: 'tok' } }]);
    expect(next?.state).toBe('queued');
    expect(seen).toEqual(['rendering→queued']);
  });

  it('sends no move the transition table refuses, and none without a lease', async () => {
    const { api, calls } = scriptedApi([]);
    const { attempts } = portOver(api);
    expect(await attempts.advance(held('tts'), 'reserved', {})).toBeUndefined();
    expect(await attempts.advance({ ...held('tts'), leaseToken: null }, 'rendering', {})).toBeUndefined();
    expect(await attempts.complete(held('rendering'), { outputPath: '/nowhere.mp4' })).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('a move keeps runner-local paths to itself and waits out a gateway that is away', async () => {
    const { api, calls } = scriptedApi([new GatewayUnreachable('POST /jobs/t1/transition', new Error('ECONNREFUSED')), { status: 200, body: wire('tts') }]);
    const { attempts, seen } = portOver(api);
    const next = await attempts.advance(held('reserved'), 'tts', { ttsStartedAt: 5, referenceAudio: '/runner/only.wav' });
    expect(next?.state).toBe('tts');
    expect(calls.map((c) => c.body)).toEqual([
      { from: 'reserved', to: 'tts', patch: { ttsStartedAt: 5 } },
      { from: 'reserved', to: 'tts', patch: { ttsStartedAt: 5 } },
    ]);
    expect(seen).toEqual(['reserved→tts']);
  });

  it('a refused move (the attempt is no longer this runner\'s) comes back undefined', async () => {
    const { api } = scriptedApi([{ status: 410, body: { code: 'lease_lost' } }]);
    const { attempts } = portOver(api);
    expect(await attempts.advance(held('tts'), 'rendering', {})).toBeUndefined();
  });
});
