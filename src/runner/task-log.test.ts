import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { startTestGateway, submit, waitFor } from '../../test/helpers/gateway.js';
import type { Task } from '../domain/task.js';
import { taskDurations, taskLogLine } from './task-log.js';

const base = { createdAt: 1000, startedAt: null, ttsStartedAt: null, ttsEndedAt: null, renderStartedAt: null, renderEndedAt: null, finishedAt: null };

describe('task log lines', () => {
  it('computes the phase durations the timestamps allow', () => {
    expect(taskDurations(base)).toEqual({});
    expect(taskDurations({ ...base, startedAt: 1500, ttsStartedAt: 1600, ttsEndedAt: 2600 })).toEqual({ queueMs: 500, ttsMs: 1000 });
    expect(taskDurations({ ...base, startedAt: 1500, ttsStartedAt: 1600, ttsEndedAt: 2600, renderStartedAt: 2700, renderEndedAt: 9700, finishedAt: 9800 })).toEqual({ queueMs: 500, ttsMs: 1000, renderMs: 7000, totalMs: 8800 });
  });

  it('logs state changes, not progress inside a state; failures at warn with their code', () => {
    const task = { ...base, id: 'abc', state: 'rendering', slotId: 1, attempts: 0, errorCode: null, errorMessage: null } as unknown as Task;
    expect(taskLogLine({ task, from: 'rendering' })).toBeNull();
    expect(taskLogLine({ task, from: 'tts' })).toEqual({ level: 'info', msg: 'task abc tts → rendering on slot 1', fields: { taskId: 'abc', slot: 1, from: 'tts', to: 'rendering', attempt: 1 } });
    const failed = { ...task, state: 'failed', attempts: 1, errorCode: 'render_failed', errorMessage: 'container said no', finishedAt: 5000 } as Task;
    expect(taskLogLine({ task: failed, from: 'rendering' })).toMatchObject({ level: 'warn', fields: { errorCode: 'render_failed', error: 'container said no', totalMs: 4000, attempt: 2 } });
    expect(taskLogLine({ task: { ...task, state: 'queued', slotId: null }, from: null })?.msg).toBe('task abc accepted');
  });

  it('a gateway logs every transition of a real task, with slot and durations', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = pino({ level: 'info' }, { write: (l: string) => lines.push(JSON.parse(l) as Record<string, unknown>) });
    const t = await startTestGateway({ engine: 'preview' }, { log });
    try {
      const { body } = await submit(t.url, 'Hello from the task log test.');
      const id = body.task_id as string;
      const mine = () => lines.filter((l) => l.taskId === id && typeof l.to === 'string');
      await waitFor(async () => mine().some((l) => l.to === 'completed'), 60_000);
      const moves = mine().map((l) => `${String(l.from)}→${String(l.to)}`);
      expect(moves).toEqual(['new→queued', 'queued→preparing', 'preparing→reserved', 'reserved→tts', 'tts→rendering', 'rendering→collecting', 'collecting→completed']);
      const done = mine().at(-1)!;
      expect(done).toMatchObject({ level: 30, slot: expect.any(Number) });
      for (const k of ['queueMs', 'ttsMs', 'renderMs', 'totalMs']) expect(done[k]).toEqual(expect.any(Number));
    } finally {
      await t.close();
    }
  });
});
