import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NvidiaSmiSampler } from './nvidia-smi.js';
import { parseNvidiaSmi } from './nvidia-smi.parse.js';

// Recorded outputs (shapes seen from real drivers and from MIG / consumer cards)
const A100 = '0, 37, 12034, 40960, 54, 187.33\n1, 0, 3, 40960, 33, 52.10\n2, 100, 39876, 40960, 71, 301.45\n';
const CONSUMER = '0, 12, 1024, 8192, 45, [N/A]\n';
const MIG = '0, [Not Supported], 1500, 81920, 40, 70.00\n';
const GARBAGE = 'NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver.\n';

describe('nvidia-smi parser', () => {
  it('reads every GPU line', () => {
    const s = parseNvidiaSmi(A100, 1);
    expect(s).toHaveLength(3);
    expect(s[0]).toEqual({ index: 0, utilizationPct: 37, memoryUsedMiB: 12034, memoryTotalMiB: 40960, temperatureC: 54, powerW: 187.33, at: 1 });
    expect(s[2].utilizationPct).toBe(100);
  });
  it('turns [N/A] and [Not Supported] into null', () => {
    expect(parseNvidiaSmi(CONSUMER, 1)[0].powerW).toBeNull();
    expect(parseNvidiaSmi(MIG, 1)[0].utilizationPct).toBeNull();
  });
  it('skips garbage, blank and short lines, never throws', () => {
    expect(parseNvidiaSmi(GARBAGE, 1)).toEqual([]);
    expect(parseNvidiaSmi('', 1)).toEqual([]);
    expect(parseNvidiaSmi('\n\n x, y\n', 1)).toEqual([]);
    expect(parseNvidiaSmi('0, 5 %, 100 MiB, 200 MiB, 30 C, 20 W', 1)[0]).toMatchObject({ utilizationPct: 5, memoryUsedMiB: 100 });
  });
});

describe('NvidiaSmiSampler', () => {
  it('samples a real program in the background and reports absence with a reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smi-'));
    const fake = join(dir, 'nvidia-smi');
    writeFileSync(fake, `#!/bin/sh\nprintf '${A100.replace(/\n/g, '\\n')}'\n`);
    chmodSync(fake, 0o755);
    const s = new NvidiaSmiSampler({ binary: fake, intervalMs: 60_000 });
    await s.sample();
    expect(s.latest(1)?.memoryUsedMiB).toBe(3);
    expect(s.unavailableReason()).toBeNull();
    const missing = new NvidiaSmiSampler({ binary: join(dir, 'nope'), intervalMs: 60_000 });
    await missing.sample();
    expect(missing.latest(0)).toBeNull();
    expect(missing.unavailableReason()).toBe('nvidia-smi not found');
  });
});
