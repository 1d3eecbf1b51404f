/**
 * Benchmarks are not tests: this only runs the quick mode once (tiny sizes) and checks that
 * every section wrote its results. No timing is asserted.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

describe('npm run bench -- --quick', () => {
  it('runs every section and writes JSON results', async () => {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick'], { timeout: 170_000, maxBuffer: 16 * 1024 * 1024 });
    const summary = JSON.parse(readFileSync('bench/results/summary.json', 'utf8'));
    expect(summary.quick).toBe(true);
    expect(summary.scheduling).toHaveLength(2);
    expect(summary.scheduling[0]).toHaveProperty('efficiency');
    expect(summary.variance[0]).toHaveProperty('gpu_busy_share');
    expect(summary.remote.map((r: { case: string }) => r.case)).toEqual(['local slots', 'remote runners']);
    expect(summary.api[0]).toHaveProperty('status_rps');
    expect(summary.scale[0]).toHaveProperty('gap_p95_ms');
    expect(summary.scale[0]).toHaveProperty('gateway_cpu_ms_per_task');
    expect(summary.history).toHaveProperty('startup_ms');
    expect(summary.eta[0]).toHaveProperty('in_range_share');
    expect(summary.text).toHaveProperty('sentences_per_second_median');
    expect(summary.batches[0]).toHaveProperty('fair_claim_select_us');
    expect(summary.checks.map((r: { case: string }) => r.case)).toEqual(['face check, 3 s 360p', 'output check, 3 s 360p', 'detector load (once per process)']);
    expect(summary.checks[0]).toHaveProperty('cpu_ms_per_video_s');
    expect(summary.retention.map((r: { batch_rows: number }) => r.batch_rows)).toEqual([100, 500]);
    expect(summary.retention[0]).toHaveProperty('status_p99_during_ms');
    expect(summary.retention[0].status_non200).toBe(0);
  }, 180_000);
});
