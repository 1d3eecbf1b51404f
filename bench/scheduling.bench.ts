/**
 * Scheduling efficiency against protocol-exact fakes with fixed engine times: M text-only tasks
 * on G slots, with and without pipelining. ideal = TTS + ⌈M/G⌉ × render (pipelined) or
 * ⌈M/G⌉ × (TTS + render); efficiency = ideal / measured makespan. The gateway runs with its
 * default polling (1 s far from the expected finish, 200 ms near it).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config/load.js';
import type { Task } from '../src/domain/task.js';
import { startSimulatedFarm } from '../src/fakes/simulate.js';
import { createGateway } from '../src/gateway.js';
import { median, quantile, round } from './lib/stats.js';

export interface SchedulingParams {
  gpus: number;
  tasks: number;
  ttsMs: number;
  renderMs: number;
  pipelining: boolean;
  /** How long the fake's result keeps growing after "done" (real containers: "a moment"). */
  growMs: number;
}

export async function runScheduling(p: SchedulingParams): Promise<Record<string, number | string | boolean>> {
  const base = mkdtempSync(join(tmpdir(), 'hg-bench-sched-'));
  const farm = await startSimulatedFarm({ gpus: p.gpus, baseDir: join(base, 'farm'), host: '127.0.0.1', renderMs: p.renderMs, ttsMs: p.ttsMs, video: { growMs: p.growMs } });
  const config = loadConfig({
    env: {} as NodeJS.ProcessEnv,
    inline: {
      dataDir: join(base, 'data'),
      engine: 'heygem',
      slots: farm.slots.map((s) => ({ id: s.id, video: { url: s.video.url, dataDir: s.videoDataDir }, tts: { url: s.tts.url, dataDir: s.ttsDataDir } })),
      scheduler: { pipelining: p.pipelining },
    },
  });
  const gw = await createGateway(config, { log: pino({ level: 'silent' }) });
  try {
    const start = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < p.tasks; i++) {
      const t = await gw.store.create({ id: (await import('../src/domain/ids.js')).newTaskId(), text: `Benchmark task ${i}.`, normalizedText: `Benchmark task ${i}.`, createdAt: Date.now() });
      gw.lifecycle.accepted(t);
      ids.push(t.id);
    }
    gw.scheduler.notify();
    const deadline = start + 20 * (p.ttsMs + p.renderMs) * Math.ceil(p.tasks / p.gpus) + 60_000;
    let tasks: Task[] = [];
    while (Date.now() < deadline) {
      tasks = (await Promise.all(ids.map((id) => gw.store.get(id)))) as Task[];
      if (tasks.every((t) => t.state === 'completed' || t.state === 'failed')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const done = tasks.filter((t) => t.state === 'completed');
    const makespan = Math.max(...tasks.map((t) => t.finishedAt ?? Date.now())) - start;
    const rounds = Math.ceil(p.tasks / p.gpus);
    const ideal = p.pipelining ? p.ttsMs + rounds * p.renderMs : rounds * (p.ttsMs + p.renderMs);
    const renderOverhead = done.map((t) => t.renderEndedAt! - t.renderStartedAt! - p.renderMs);
    const ttsOverhead = done.map((t) => t.ttsEndedAt! - t.ttsStartedAt! - p.ttsMs);
    // From the containers' own records: GPU idle between a job ending and the next submit
    // (orchestration overhead per task while work was queued), and how late "done" was seen.
    const idle: number[] = [];
    const detect: number[] = [];
    for (const s of farm.slots) {
      const h = s.video.stats().history.filter((j) => j.doneAt !== null).sort((a, b) => a.submittedAt - b.submittedAt);
      for (let i = 0; i < h.length; i++) {
        detect.push(h[i].reportedAt! - h[i].doneAt!);
        if (i > 0) idle.push(Math.max(0, h[i].submittedAt - h[i - 1].doneAt!));
      }
    }
    return {
      pipelining: p.pipelining,
      gpus: p.gpus,
      tasks: p.tasks,
      completed: done.length,
      tts_ms: p.ttsMs,
      render_ms: p.renderMs,
      ideal_makespan_s: round(ideal / 1000),
      makespan_s: round(makespan / 1000),
      efficiency: round(ideal / makespan),
      gpu_idle_between_jobs_p50_ms: Math.round(median(idle)),
      gpu_idle_between_jobs_p95_ms: Math.round(quantile(idle, 0.95)),
      done_detection_p50_ms: Math.round(median(detect)),
      done_detection_p95_ms: Math.round(quantile(detect, 0.95)),
      task_render_phase_overhead_p50_ms: Math.round(median(renderOverhead)),
      tts_overhead_p50_ms: Math.round(median(ttsOverhead)),
      fake_result_grow_ms: p.growMs,
    };
  } finally {
    await gw.close(0);
    await farm.close();
  }
}
