/**
 * File retention inside a running gateway: the scheduled sweep removes old files of finished
 * tasks and keeps every file of a task that is still queued or running, however old.
 */
import { existsSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestGateway } from './helpers/gateway.js';
import { waitFor } from './helpers/gateway.js';
import { scriptedGateway } from './helpers/scripted.js';

const open: TestGateway[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

const age = (path: string, ms: number) => {
  const t = (Date.now() - ms) / 1000;
  utimesSync(path, t, t);
};

describe('scheduled file retention', () => {
  it('removes what finished tasks left behind, never what a live task needs', async () => {
    const { t } = await scriptedGateway(
      { fileRetention: { intervalMs: 50, uploadsMaxAgeMs: 1000, workMaxAgeMs: 1000, outputsMaxAgeMs: 1000 } },
      { script: { ttsMs: 60_000 }, slots: 1 },
    );
    open.push(t);
    const post = async (text: string) => (await t.app.inject({ method: 'POST', url: '/api/generate', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ text }) })).json().task_id as string;
    const running = await post('stays in TTS for a minute');
    const queued = await post('waits behind it');
    const done = await post('canceled, so final');
    await t.app.inject({ method: 'POST', url: `/api/tasks/${done}/cancel` });
    const files = {
      running: join(t.dataDir, 'uploads', `${running}.mp4`),
      queued: join(t.dataDir, 'uploads', `${queued}.mp4`),
      done: join(t.dataDir, 'uploads', `${done}.mp4`),
      doneOut: join(t.dataDir, 'outputs', `${done}.wav`),
      foreign: join(t.dataDir, 'uploads', 'notes.txt'),
    };
    for (const p of Object.values(files)) {
      writeFileSync(p, 'x');
      age(p, 3_600_000);
    }
    await waitFor(async () => !existsSync(files.done) && !existsSync(files.doneOut), 5000);
    await new Promise((r) => setTimeout(r, 200)); // several more sweeps
    expect(existsSync(files.running)).toBe(true);
    expect(existsSync(files.queued)).toBe(true);
    expect(existsSync(files.foreign)).toBe(true);
  });
});
