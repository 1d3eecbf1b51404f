import { describe, expect, it } from 'vitest';
import { asTaskFindings, outputVerdict } from './output-verdict.js';
import type { OutputFinding } from './output-check.js';

const black: OutputFinding = { code: 'output_black', at: 1, detail: 'black from 1 s to 2.5 s' };
const clipped: OutputFinding = { code: 'output_clipped', at: 0, detail: 'clips' };

describe('outputVerdict', () => {
  it('passes a result with nothing or only a warning', () => {
    expect(outputVerdict([], [], { attempt: 1, slotId: 0, retryable: true })).toEqual({ ok: true });
    expect(outputVerdict([clipped], [], { attempt: 1, slotId: 0, retryable: true })).toEqual({ ok: true });
  });

  it('retries the first bad result of a run, fails the second with its code', () => {
    const first = outputVerdict([black], [], { attempt: 1, slotId: 0, retryable: true });
    expect(first).toMatchObject({ ok: false, code: 'output_black', retry: true });
    const earlier = asTaskFindings([black], 1, 0);
    const second = outputVerdict([{ ...black, code: 'output_silent' }], earlier, { attempt: 2, slotId: 1, retryable: true });
    expect(second).toMatchObject({ ok: false, code: 'output_silent', retry: false });
    // a warning of an earlier attempt does not count as a bad result
    expect(outputVerdict([black], asTaskFindings([clipped], 1, 0), { attempt: 2, slotId: 1, retryable: true })).toMatchObject({ retry: true });
  });

  it('a stitched whole is never retried', () => {
    expect(outputVerdict([black], [], { attempt: 0, slotId: null, retryable: false })).toMatchObject({ ok: false, retry: false, message: expect.stringContaining('stitched') });
  });
});
