/**
 * `npm run bench` — every benchmark, a table per section, JSON under bench/results/.
 * `--quick`: a short smoke run (tiny sizes, seconds; CI runs it, with no timing assertions).
 * Scale: `--gpus 3,24` picks farm sizes, `--laws uniform,pareto` render laws, `--farm-nice N` the fakes' niceness (19),
 * `--full-farm` fakes that encode every result (default: a lightweight farm copying pre-encoded results),
 * `--output-check off` the gateway's output check off (what the check costs per task).
 * `--only scheduling,remote,variance,api,scale,history,eta,text,publish,library,batches,segments,checks,retention,output` picks sections. `--repeat N` repeats
 * scheduling and variance runs and reports medians (the machine is shared and noisy).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runApi } from './api.bench.js';
import { runChecksBench } from './checks.bench.js';
import { runLibraryBench } from './library.bench.js';
import { runBatchesBench } from './batches.bench.js';
import { runPublishBench } from './publish.bench.js';
import { runRetentionBench } from './retention.bench.js';
import { median, round } from './lib/stats.js';
import { runEtaBench } from './eta.bench.js';
import { runHistory } from './history.bench.js';
import { runScale } from './scale.bench.js';
import { runScheduling, type SchedulingParams } from './scheduling.bench.js';
import { runLongScripts } from './segments.bench.js';
import { runTextBench } from './text.bench.js';
import { runOutputBench } from './output.bench.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, repeat: { type: 'string' }, gpus: { type: 'string' }, 'farm-nice': { type: 'string' }, laws: { type: 'string' }, 'full-farm': { type: 'boolean', default: false }, 'output-check': { type: 'string' } } });
const quick = values.quick!;
const only = new Set((values.only ?? 'scheduling,remote,variance,api,scale,history,eta,text,publish,library,batches,segments,checks,retention,output').split(','));
const repeat = Number(values.repeat ?? (quick ? 1 : 3));
mkdirSync('bench/results', { recursive: true });
const summary: Record<string, unknown> = { quick, at: new Date().toISOString(), node: process.version };

function show(name: string, rows: Record<string, unknown> | Array<Record<string, unknown>>): void {
  console.log(`\n## ${name}`);
  console.table(Array.isArray(rows) ? rows : Object.entries(rows).map(([metric, value]) => ({ metric, value })));
  writeFileSync(`bench/results/${name}.json`, JSON.stringify(rows, null, 2));
  summary[name] = rows;
}

/** Median of each numeric field over repeated runs. */
function medianOf(runs: Array<Record<string, number | string | boolean>>): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = { runs: runs.length };
  for (const k of Object.keys(runs[0])) out[k] = typeof runs[0][k] === 'number' ? round(median(runs.map((r) => r[k] as number))) : runs[0][k];
  return out;
}

if (only.has('scheduling')) {
  const base = quick ? { gpus: 2, tasks: 6, ttsMs: 100, renderMs: 400, growMs: 50 } : { gpus: 3, tasks: 30, ttsMs: 1000, renderMs: 3000, growMs: 100 };
  const rows = [];
  for (const pipelining of [true, false]) {
    const runs = [];
    for (let i = 0; i < repeat; i++) runs.push(await runScheduling({ ...base, pipelining }));
    rows.push(medianOf(runs));
  }
  show('scheduling', rows);
}
/**
 * Remote runners (docs/runners.md): the same workload with every GPU behind a runner over HTTP
 * on loopback, against local slots, run alternately so both see the same machine load.
 */
if (only.has('remote')) {
  const base = quick ? { gpus: 2, tasks: 6, ttsMs: 100, renderMs: 400, growMs: 50 } : { gpus: 3, tasks: 30, ttsMs: 1000, renderMs: 3000, growMs: 100 };
  const local = [];
  const remote = [];
  for (let i = 0; i < repeat; i++) {
    local.push(await runScheduling({ ...base, pipelining: true, seed: i + 1, label: 'local slots' }));
    remote.push(await runScheduling({ ...base, pipelining: true, seed: i + 1, label: 'remote runners', remote: true }));
  }
  const rows = [medianOf(local), medianOf(remote)];
  rows[1].efficiency_delta_points = round(((rows[1].efficiency as number) - (rows[0].efficiency as number)) * 100);
  show('remote', rows);
}
/**
 * Render times that are not proportional to speech, and progress that does not move (what real
 * containers do), each measured from the containers' own records.
 */
if (only.has('variance')) {
  const base = quick ? { gpus: 2, tasks: 6, ttsMs: 100, renderMs: 400, growMs: 50 } : { gpus: 3, tasks: 30, ttsMs: 1000, renderMs: 3000, growMs: 100 };
  const models: Array<Pick<SchedulingParams, 'renderTime' | 'label'>> = [
    // ~4.3 s of speech on average × 700 ms/s ≈ the 3 s mean of the other models.
    { label: 'proportional', renderTime: { kind: 'proportional', msPerSpeechSec: quick ? 95 : 700 } },
    { label: 'uniform ±50 %', renderTime: { kind: 'uniform', spread: 0.5 } },
    { label: 'long-tailed', renderTime: { kind: 'lognormal', sigma: 0.6 } },
  ];
  const cases: SchedulingParams[] = [];
  for (const m of quick ? models.slice(1, 2) : models) {
    for (const progress of quick ? (['flat'] as const) : (['moving', 'flat'] as const)) cases.push({ ...base, ...m, progress, pipelining: true, variedText: true });
  }
  // The same hardest case with polling alone (no result-file wake-up): what a data dir the
  // gateway cannot watch would give.
  if (!quick) cases.push({ ...base, label: 'uniform ±50 %, no file watch', renderTime: { kind: 'uniform', spread: 0.5 }, progress: 'flat', pipelining: true, variedText: true, heygem: { watchResultFile: false } });
  const rows = [];
  for (const c of cases) {
    const runs = [];
    for (let i = 0; i < repeat; i++) runs.push(await runScheduling({ ...c, seed: i + 1 }));
    rows.push(medianOf(runs));
  }
  show('variance', rows);
}
if (only.has('api')) {
  const rows = [await runApi({ quick })];
  // PostgreSQL beside it when a server answers on 127.0.0.1 (HG_TEST_PG_URL): skipped otherwise
  if (!quick) rows.push(await runApi({ store: 'postgres' }).catch((err: Error) => ({ store: 'postgres', skipped: err.message.slice(0, 80) })));
  show('api', rows);
}
if (only.has('scale')) show('scale', await runScale({ quick, gpus: values.gpus ? values.gpus.split(',').map(Number) : undefined, farmNice: values['farm-nice'] ? Number(values['farm-nice']) : undefined, laws: values.laws?.split(','), fullFarm: values['full-farm'], outputCheck: values['output-check'] !== 'off' }));
if (only.has('history')) show('history', await runHistory({ quick }));
if (only.has('eta')) show('eta', await runEtaBench({ quick }));
if (only.has('text')) show('text', await runTextBench({ quick }));
if (only.has('publish')) show('publish', await runPublishBench({ quick }));
if (only.has('library')) show('library', await runLibraryBench({ quick }));
if (only.has('batches')) show('batches', await runBatchesBench({ quick }));
// one run per case unless --repeat is given: a full case takes minutes (3 minutes of one-GPU render)
if (only.has('segments')) show('segments', await runLongScripts({ quick, repeat: values.repeat ? repeat : 1 }));
if (only.has('checks')) show('checks', await runChecksBench({ quick }));
if (only.has('retention')) show('retention', await runRetentionBench({ quick }));
if (only.has('output')) show('output', await runOutputBench({ quick }));
writeFileSync('bench/results/summary.json', JSON.stringify(summary, null, 2));
console.log('\nwrote bench/results/*.json');
process.exit(0);
