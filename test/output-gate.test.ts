/**
 * OutputGate (docs/checks.md, "What a bad result does") with a scripted inspector: the one call
 * every completion point makes. A slot's first bad result is refused retryable and its video
 * deleted; the second is final; findings are stored fenced and counted for /metrics; a stitched
 * whole that fails is final at once and carries its findings; `enabled: false` passes unchecked.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findingsOf, OutputGate, type ResultFiles } from '../src/checks/output-gate.js';
import type { OutputFinding } from '../src/checks/output-check.js';
import { TaskError } from '../src/domain/errors.js';
import type { CheckFinding, Task } from '../src/domain/task.js';

const black: OutputFinding = { code: 'output_black', at: 1, detail: 'black from 1 s to 2.5 s' };
const clipped: OutputFinding = { code: 'output_clipped', at: 0, detail: '0.4 % of the samples at full scale' };

function rig(found: OutputFinding[][], enabled = true) {
  const stored: CheckFinding[][] = [];
  const seen: ResultFiles[] = [];
  const gate = new OutputGate({
    enabled,
    inspector: { inspect: async (files) => (seen.push(files), found.shift() ?? []) },
    recorder: { progressDurably: async (_t, patch) => (stored.push(patch.checks), true) },
  });
  return { gate, stored, seen };
}

function result(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'hg-gate-')), 'result.mp4');
  writeFileSync(path, 'video');
  return path;
}

const task = (over: Partial<Task> = {}) => ({ id: 't1', attempt: 1, slotId: 0, leaseToken: 'lease', checks: [], ...over }) as unknown as Task;

async function refusal(p: Promise<unknown>): Promise<TaskError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(TaskError);
  return err as TaskError;
}

describe('OutputGate', () => {
  it('first bad result: refused retryable, video deleted, finding stored with attempt and GPU', async () => {
    const { gate, stored } = rig([[black]]);
    const video = result();
    const err = await refusal(gate.pass(task(), { video }));
    expect({ code: err.code, retryable: err.retryable }).toEqual({ code: 'output_black', retryable: true });
    expect(existsSync(video)).toBe(false);
    expect(stored).toEqual([[{ ...black, attempt: 1, slotId: 0 }]]);
    expect(gate.counts).toEqual({ output_black: 1 });
  });

  it('second bad result (another GPU): final, says so', async () => {
    const { gate, stored } = rig([[black]]);
    const earlier: CheckFinding[] = [{ code: 'output_silent', at: 2, detail: 'no sound', attempt: 1, slotId: 0 }];
    const err = await refusal(gate.pass(task({ attempt: 2, slotId: 1, checks: earlier }), { video: result() }));
    expect({ code: err.code, retryable: err.retryable }).toEqual({ code: 'output_black', retryable: false });
    expect(err.message).toContain('second bad result');
    expect(stored[0]).toEqual([...earlier, { ...black, attempt: 2, slotId: 1 }]);
  });

  it('a warning is stored but passes; a clean result is counted as none; off checks nothing', async () => {
    const { gate, stored } = rig([[clipped], []]);
    const video = result();
    await gate.pass(task(), { video });
    await gate.pass(task(), { video });
    expect(existsSync(video)).toBe(true);
    expect(stored).toEqual([[{ ...clipped, attempt: 1, slotId: 0 }]]);
    expect(gate.counts).toEqual({ output_clipped: 1, none: 1 });
    const off = rig([[black]], false);
    await off.gate.pass(task(), { video });
    expect(off.seen).toEqual([]);
  });

  it('a stitched whole that fails is final at once and carries its findings; a good one returns them', async () => {
    const { gate, seen } = rig([[black], []]);
    const parent = task({ slotId: null, leaseToken: null, attempt: 0 });
    const files = { video: result(), speech: 'speech.wav', skipFreeze: true };
    const err = await refusal(gate.passStitched(parent, files));
    expect({ code: err.code, retryable: err.retryable }).toEqual({ code: 'output_black', retryable: false });
    expect(err.message).toContain('The stitched video');
    expect(findingsOf(err)).toEqual([{ ...black, attempt: 0, slotId: null }]);
    expect(seen[0]).toMatchObject({ skipFreeze: true });
    expect(await gate.passStitched(parent, files)).toEqual({ checks: [] });
  });
});
