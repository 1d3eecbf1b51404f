/**
 * A long script whose segment fails for good, against protocol-exact fake HeyGem containers
 * (issues #12, #29): every render of segment 3 fails — in the video container itself (status 3,
 * its own "render failed" message), or as a bad render 2 s short of its speech — is retried up
 * to maxAttempts, and then the task fails naming that segment — and nothing is left on any container: no job still running, no file of the task
 * (parent or segment id in its name) anywhere under a video or TTS container's data dir, no
 * output MP4. Later segments are usually still speaking or rendering when it fails: their cancel,
 * and the drain of a render already in the container, must leave nothing either. The
 * preview-engine twin of this check is in segments.integration.test.ts.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newTaskId } from '../src/domain/ids.js';
import { isFinal } from '../src/domain/task.js';
import { startGatewayOnFarm, type Farm } from './helpers/farm.js';
import { getStatus, waitFinalInStore } from './helpers/gateway.js';
import { waitFor } from './helpers/wait.js';

const SCRIPT = Array.from({ length: 9 }, (_, i) => `Part ${i + 1} of the lesson explains one idea, and then it stops.`).join(' ');
const MAX_ATTEMPTS = 3;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

/** Every file under `dir`, as a path relative to `root` (a missing dir has none). */
function filesUnder(dir: string, root = dir): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name), root) : [relative(root, join(dir, e.name))]));
}

/** Files of the task (any of `ids` in the name) in every container's host data dir. */
function leftovers(farm: Farm, ids: string[]): string[] {
  return farm.slots
    .flatMap((s) => [...filesUnder(s.videoDataDir).map((f) => `video${s.id}:${f}`), ...filesUnder(s.ttsDataDir).map((f) => `tts${s.id}:${f}`)])
    .filter((f) => ids.some((id) => f.includes(id)));
}

/**
 * Two ways a part fails for good on the real protocol: the container fails every render of it
 * (status 3, tried maxAttempts times), or it returns it 2 s short every time (A/V drift: the
 * output check refuses it, and a second bad result ends it, docs/checks.md). Both on containers that return the other parts a few frames off
 * their speech, as real ones do, so every part's cut runs too.
 */
const FAULTS = [
  { name: 'the container fails it (status 3)', status: 3, message: 'render failed', code: 'render_failed', attempts: MAX_ATTEMPTS },
  { name: 'it comes back 2 s short every time (a bad render)', status: 2, message: 'failed the output check', code: 'output_av_drift', attempts: 2 },
] as const;

describe('long scripts on fake HeyGem containers', () => {
  it.each(FAULTS)('a segment that fails for good fails the task naming it; nothing is left on any container: $name', async (fault) => {
    const { farm, t } = await startGatewayOnFarm(cleanups, {
      gpus: 3,
      // Speech slower than a render: the doomed segment's retries reuse its speech and come
      // quickly, so later segments are usually still speaking or rendering when it fails for good
      // — their cancel (and the drain of a render in flight) is what can leave files behind.
      ttsMs: 1000,
      dirPrefix: 'hg-seg-fail-',
      farm: { renderMs: 300, video: { lengthErrorFrames: [-2, -1, 1, 3, 5] } },
      gateway: {
        segments: { targetSeconds: 6 },
        // Retries come quickly; the slot is never benched for the doomed segment's faults
        // (three in a row on one slot would mark it unhealthy: this test is about segments).
        scheduler: { retryBaseDelayMs: 20, healthProbeIntervalMs: 200, maxAttempts: MAX_ATTEMPTS, unhealthyAfterFailures: 100 },
      },
    });
    const gw = t.gw;
    const parent = await gw.segments.create({ id: newTaskId(), text: SCRIPT, normalizedText: gw.normalize(SCRIPT), createdAt: gw.clock.now() });
    const children = await gw.store.listSegments(parent.id);
    expect(children.length).toBeGreaterThanOrEqual(3);
    // Set before the task is accepted (segment 3 must speak before it can reach a container):
    // every render of it, any attempt (`<id>`, `<id>-a2`, …), fails.
    const doomed = children.find((c) => c.segmentIndex === 2)!;
    const isDoomed = (code: string) => code.split('-')[0] === doomed.id;
    for (const s of farm.slots) s.video.setOptions(fault.status === 3 ? { failCodes: isDoomed } : { lengthErrorSec: (code) => (isDoomed(code) ? -2 : 0) });
    gw.lifecycle.accepted(parent);
    gw.scheduler.notify();

    const done = await waitFinalInStore(gw, parent.id);
    expect(done.state, done.errorMessage ?? '').toBe('failed');
    expect(done.errorCode).toBe(fault.code);
    expect(done.errorMessage).toMatch(/^Segment 3 of \d+ failed/);
    expect(done.errorMessage).toContain(fault.message);
    expect(await getStatus(t.url, parent.id)).toMatchObject({ status: 'failed' });

    // The other segments are canceled (a running render drains first): wait until all ended.
    const kids = await waitFor(async () => {
      const k = await gw.store.listSegments(parent.id);
      return k.every((c) => isFinal(c.state)) && gw.scheduler.runners.every((r) => !r.busy) ? k : undefined;
    }, 120_000, 50);
    expect(kids[2]).toMatchObject({ state: 'failed', attempt: fault.attempts });
    expect(kids.filter((k) => k.segmentIndex !== 2).every((k) => k.state === 'completed' || k.state === 'canceled')).toBe(true);
    // The container really was asked once per attempt (and failed it, or returned it short);
    // backup renders of it on idle GPUs (`…-b<slot>`) come on top.
    const doomedRenders = farm.slots.flatMap((s) => s.video.stats().history.filter((h) => isDoomed(h.code) && !/-b\d+$/.test(h.code)));
    expect(doomedRenders.map((h) => h.status)).toEqual(Array(fault.attempts).fill(fault.status));

    // Nothing is left on any container: no job running, and — once the containers have
    // finished writing what their ended jobs produce — no file of the task in their dirs.
    for (const s of farm.slots) expect(s.video.stats().jobs.filter((j) => j.status === 1), `video${s.id} still running`).toEqual([]);
    await waitFor(async () => farm.slots.every((s) => s.video.stats().settling.length === 0), 30_000);
    const ids = [parent.id, ...kids.map((k) => k.id)];
    const left = leftovers(farm, ids);
    expect(left, `left on the containers: ${left.join(', ')}`).toEqual([]);
    // and no video of it here: no stitched MP4, no failed part's video, no half-written cut
    // (a stream segment of a part that completed just before the failure may still be being
    // written: it ends as a whole file or nothing, never a half-written one left behind)
    await waitFor(async () => readdirSync(join(t.dataDir, 'outputs')).every((f) => !f.includes('.tmp-')), 30_000);
    const outputs = readdirSync(join(t.dataDir, 'outputs'));
    expect(outputs.filter((f) => f.startsWith(parent.id) && f.endsWith('.mp4'))).toEqual([]);
    expect(outputs.filter((f) => f.startsWith(doomed.id) && f.endsWith('.mp4'))).toEqual([]);
  }, 300_000);
});
