/**
 * Backup renders of segments (docs/segments.md, "Backup renders") on protocol-exact HeyGem
 * fakes: one GPU's video container hangs on its segment; the other GPU, with nothing left to
 * claim, renders that segment again from the same speech and face clip, and its video is
 * used. The hung container's job cannot be stopped: its slot keeps the job until the
 * container lets go of it (here: an operator restarts it), and then nothing of the task is
 * left on any container. Real SQLite, real ffmpeg, real HTTP.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { newTaskId } from '../src/domain/ids.js';
import { startGatewayOnFarm, type Farm } from './helpers/farm.js';
import { FAST_HEYGEM, waitFinalInStore, type TestGateway } from './helpers/gateway.js';
import { waitFor } from './helpers/wait.js';

const run = promisify(execFile);
const SCRIPT = Array.from({ length: 8 }, (_, i) => `Part ${i + 1} of the lesson explains one idea, and then it stops.`).join(' ');

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

/**
 * A 2-GPU farm whose second video container hangs on every job it takes, and SCRIPT submitted
 * as a long script. No hang verdict or render timeout fires during a test: only a backup can
 * finish a segment stuck there.
 */
async function hungFarmWithScript(dirPrefix: string, scheduler: Record<string, unknown>) {
  const { farm, t } = await startGatewayOnFarm(cleanups, {
    gpus: 2,
    ttsMs: 50,
    dirPrefix,
    gateway: {
      heygem: { ...FAST_HEYGEM, renderTimeoutMs: 600_000 },
      segments: { targetSeconds: 6, backupRenders: 1 },
      scheduler: { retryBaseDelayMs: 20, healthProbeIntervalMs: 200, ...scheduler },
    },
  });
  const hung = farm.slots[1];
  hung.video.setOptions({ hang: true });
  const { gw } = t;
  const parent = await gw.segments.create({ id: newTaskId(), text: SCRIPT, normalizedText: gw.normalize(SCRIPT), createdAt: gw.clock.now() });
  expect(parent.segmentCount).toBeGreaterThanOrEqual(3);
  gw.lifecycle.accepted(parent);
  gw.scheduler.notify();
  return { farm, t, gw, hung, parent };
}

/** The operator restarts the hung container: then every slot is idle and nothing of the task is left on the containers. */
async function restartHungAndExpectNothingLeft(farm: Farm, gw: TestGateway['gw'], hung: Farm['slots'][number], ids: string[]): Promise<void> {
  await hung.video.restart();
  hung.video.setOptions({ hang: false });
  await waitFor(async () => gw.scheduler.runners.every((r) => r.idle));
  for (const s of farm.slots) {
    const left = [...readdirSync(join(s.videoDataDir, 'temp')), ...readdirSync(join(s.ttsDataDir, 'reference'))].filter((f) => ids.some((id) => f.includes(id)));
    expect(left, `slot ${s.id}`).toEqual([]);
  }
}

describe('backup renders on a HeyGem farm', { timeout: 180_000 }, () => {
  it('a segment stuck on a hung container is rendered again on an idle GPU; the task completes without a retry and leaves nothing behind', async () => {
    // one task per slot at a time: the hung slot takes no second segment meanwhile
    const { farm, t, gw, hung, parent } = await hungFarmWithScript('hg-seg-backup-', { pipelining: false });

    const done = await waitFinalInStore(gw, parent.id, 150_000);
    expect(done.state, done.errorMessage ?? '').toBe('completed');
    const kids = await gw.store.listSegments(parent.id);
    const stuck = kids.find((k) => k.slotId === hung.id);
    expect(stuck, 'the hung GPU took a segment').toBeDefined();
    // every segment on its first attempt: the stuck one was finished by its backup, not retried
    expect(kids.map((k) => [k.state, k.attempt])).toEqual(kids.map(() => ['completed', 1]));
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/^heygem_gateway_backup_renders_total\{outcome="won"\} [1-9]/m);
    expect(hung.video.stats().jobs.some((j) => j.code.startsWith(stuck!.id) && j.status === 1)).toBe(true); // still "rendering" there

    // The stitched video is whole: duration = sum of the parts within one frame.
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', done.outputPath!]);
    const sum = kids.reduce((a, k) => a + k.audioDurationSec!, 0);
    expect(Math.abs(Number(stdout) - sum)).toBeLessThanOrEqual(1 / 25 + 1e-3);

    // The hung slot holds its container until the container lets go of the job: no second
    // submit reached it while its job ran (a busy container refuses and drops a submit).
    expect(hung.video.stats().busyRefusals).toBe(0);
    expect(gw.scheduler.runners.find((r) => r.id === hung.id)!.idle).toBe(false);
    await restartHungAndExpectNothingLeft(farm, gw, hung, [parent.id, ...kids.map((k) => k.id)]);
  });

  it('with pipelining, a segment spoken on the hung GPU and waiting for its container is rendered by the idle GPU too', async () => {
    const { farm, gw, hung, parent } = await hungFarmWithScript('hg-seg-backup-pipe-', {});
    const done = await waitFinalInStore(gw, parent.id, 150_000);
    expect(done.state, done.errorMessage ?? '').toBe('completed');
    const kids = await gw.store.listSegments(parent.id);
    const onHung = kids.filter((k) => k.slotId === hung.id);
    // the hung GPU took a segment to render and, pipelined, spoke another one meanwhile
    expect(onHung.length).toBeGreaterThanOrEqual(2);
    expect(kids.map((k) => [k.state, k.attempt])).toEqual(kids.map(() => ['completed', 1]));
    expect(gw.segments.backups.counts.won).toBeGreaterThanOrEqual(onHung.length);
    // only one job ever reached the hung container: the waiting segments never rendered there
    expect(hung.video.stats().submits).toBe(1);
    expect(hung.video.stats().busyRefusals).toBe(0);
    await restartHungAndExpectNothingLeft(farm, gw, hung, [parent.id, ...kids.map((k) => k.id)]);
  });
});
