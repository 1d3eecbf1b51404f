/** The publisher with an in-memory store and scripted uploaders (the port's test double). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Task } from '../domain/task.js';
import { waitFor } from '../../test/helpers/gateway.js';
import { MemoryPublicationStore } from '../../test/doubles/publication-store.memory.js';
import { Publisher, type PublishOutcome, type PublisherTarget } from './publisher.service.js';
import { PublishError, type UploadJob, type Uploader } from './uploader.js';

const dir = mkdtempSync(join(tmpdir(), 'hg-publisher-'));
const video = join(dir, 'out.mp4');
writeFileSync(video, Buffer.alloc(1234, 7));

function task(id: string, over: Partial<Task> = {}): Task {
  return { id, state: 'completed', text: 'hello world', outputPath: video, finishedAt: Date.UTC(2026, 10, 1), attempts: 0, ...over } as Task;
}

/** Answers from a script: each call takes the next step (an error to throw, or a result). */
class ScriptedUploader implements Uploader {
  jobs: UploadJob[] = [];
  active = 0;
  maxActive = 0;
  gate: Promise<void> | null = null;
  constructor(
    readonly type: 'vimeo' | 's3',
    private readonly steps: Array<Error | 'ok'>,
  ) {}
  async upload(job: UploadJob) {
    this.jobs.push(job);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      if (this.gate) await Promise.race([this.gate, new Promise((_, rej) => job.signal.addEventListener('abort', () => rej(new Error('aborted'))))]);
      const step = this.steps.shift() ?? 'ok';
      if (step instanceof Error) throw step;
      await job.saveResume({ seen: job.resume });
      return { url: `https://example.com/${this.type}/${job.taskId}`, remoteId: `${this.type}:${job.taskId}` };
    } finally {
      this.active--;
    }
  }
}

/** Counts the claims refused, so a test can wait until a second node has really been turned away. */
class CountingStore extends MemoryPublicationStore {
  refused = 0;
  async claim(taskId: string, target: string, holder: string, now: number, leaseMs: number): Promise<boolean> {
    const ok = await super.claim(taskId, target, holder, now, leaseMs);
    if (!ok) this.refused++;
    return ok;
  }
}

function setup(
  uploaders: Record<string, ScriptedUploader>,
  o: { maxAttempts?: number; concurrency?: number; store?: MemoryPublicationStore; tasks?: Map<string, Task>; holder?: string; claimLeaseMs?: number } = {},
) {
  const store = o.store ?? new MemoryPublicationStore();
  const tasks = o.tasks ?? new Map<string, Task>();
  const targets: PublisherTarget[] = Object.entries(uploaders).map(([id, u]) => ({ id, name: id, type: u.type, enabled: true, default: true, uploader: u }));
  const p = new Publisher({
    store,
    tasks: { get: async (id) => tasks.get(id) },
    targets,
    policy: { maxAttempts: o.maxAttempts ?? 4, retryBaseDelayMs: 4, retryMaxDelayMs: 50, concurrency: o.concurrency ?? 2 },
    clock: { now: () => Date.now() },
    log: pino({ level: 'silent' }),
    secrets: ['s3cr3t-token'],
    random: () => 1,
    holder: o.holder ?? 'node-a',
    claimLeaseMs: o.claimLeaseMs ?? 30_000,
  });
  const outcomes: PublishOutcome[] = [];
  p.on('outcome', (x) => outcomes.push(x));
  const complete = (id: string) => {
    tasks.set(id, task(id));
    p.onTaskChange({ task: tasks.get(id)!, from: 'collecting' });
  };
  const settled = (id: string, n: number) => waitFor(async () => {
    const rows = await store.list(id);
    return rows.length === n && rows.every((r) => r.state === 'done' || r.state === 'failed') ? rows : undefined;
  }, 10_000, 5);
  return { p, store, tasks, outcomes, complete, settled };
}

describe('Publisher', () => {
  it('publishes a completed task to every default target and fills the status fields', async () => {
    const v = new ScriptedUploader('vimeo', ['ok']);
    const s = new ScriptedUploader('s3', ['ok']);
    const { p, complete, settled, outcomes } = setup({ vimeo: v, s3: s });
    await p.requested('t1', p.parseChoice(undefined));
    complete('t1');
    await settled('t1', 2);
    expect(v.jobs[0]).toMatchObject({ taskId: 't1', filePath: video, size: 1234, text: 'hello world' });
    const f = await p.publicationStatusFields('t1');
    expect(f).toMatchObject({ vimeo_uploaded: true, vimeo_url: 'https://example.com/vimeo/t1', vimeo_upload_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect((f.publications as unknown[]).map((x) => (x as { target: string; state: string; attempts: number }))).toEqual([
      expect.objectContaining({ target: 's3', type: 's3', state: 'done', attempts: 1, url: 'https://example.com/s3/t1', error: null }),
      expect.objectContaining({ target: 'vimeo', state: 'done', attempts: 1 }),
    ]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['done', 'done']);
    await p.close();
  });

  it('shows requested targets as pending before the task completes, so clients keep looking', async () => {
    const v = new ScriptedUploader('vimeo', ['ok']);
    const { p, complete, settled } = setup({ vimeo: v });
    await p.requested('w1', p.parseChoice('vimeo'));
    const before = await p.publicationStatusFields('w1');
    expect(before).toMatchObject({ publications: [expect.objectContaining({ target: 'vimeo', type: 'vimeo', state: 'pending', attempts: 0 })], vimeo_uploaded: false });
    complete('w1');
    await settled('w1', 1);
    expect(await p.publicationStatusFields('w1')).toMatchObject({ publications: [expect.objectContaining({ state: 'done' })], vimeo_uploaded: true });
    await p.close();
  });

  it('honours the request: "none" publishes nothing, a list only those targets', async () => {
    const v = new ScriptedUploader('vimeo', []);
    const s = new ScriptedUploader('s3', []);
    const { p, complete, settled, store } = setup({ vimeo: v, s3: s });
    await p.requested('n1', p.parseChoice('none'));
    await p.requested('n2', p.parseChoice('s3'));
    complete('n1');
    complete('n2');
    await settled('n2', 1);
    expect(await store.list('n1')).toEqual([]);
    expect(await p.publicationStatusFields('n1')).toEqual({ publications: [], vimeo_uploaded: false, vimeo_url: null, vimeo_upload_time: null });
    expect(v.jobs).toHaveLength(0);
    await p.close();
  });

  it('a target that fails twice then succeeds: two retries with growing backoff, then done', async () => {
    const s = new ScriptedUploader('s3', [new PublishError('S3 SlowDown (HTTP 503)', true), new PublishError('S3 SlowDown (HTTP 503)', true), 'ok']);
    const { p, complete, settled, outcomes, store } = setup({ s3: s });
    const seen: Array<{ state: string; next: number; at: number }> = [];
    p.on('outcome', async (o) => {
      const r = (await store.list(o.taskId))[0];
      seen.push({ state: r.state, next: r.nextAttemptAt, at: r.updatedAt });
    });
    complete('r1');
    const [row] = await settled('r1', 1);
    expect(row).toMatchObject({ state: 'done', attempts: 3, error: null, url: 'https://example.com/s3/r1' });
    expect(outcomes.map((o) => o.outcome)).toEqual(['retry', 'retry', 'done']);
    // random() = 1 → the full nominal delay: 4 ms, then 8 ms.
    expect(seen[0].next - seen[0].at).toBe(4);
    expect(seen[1].next - seen[1].at).toBe(8);
    await p.close();
  });

  it('gives up after maxAttempts, and at once on a permanent error; secrets never reach the record', async () => {
    const down = new ScriptedUploader('vimeo', Array.from({ length: 10 }, () => new PublishError('connect ECONNREFUSED with bearer s3cr3t-token', true)));
    const denied = new ScriptedUploader('s3', [new PublishError('S3 InvalidAccessKeyId (HTTP 403)', false)]);
    const { p, complete, settled, outcomes } = setup({ vimeo: down, s3: denied }, { maxAttempts: 3 });
    complete('f1');
    const rows = await settled('f1', 2);
    expect(rows.find((r) => r.target === 'vimeo')).toMatchObject({ state: 'failed', attempts: 3 });
    expect(rows.find((r) => r.target === 'vimeo')!.error).not.toContain('s3cr3t-token');
    expect(rows.find((r) => r.target === 's3')).toMatchObject({ state: 'failed', attempts: 1, error: 'S3 InvalidAccessKeyId (HTTP 403)' });
    expect(outcomes.filter((o) => o.target === 'vimeo').map((o) => o.outcome)).toEqual(['retry', 'retry', 'failed']);
    expect((await p.publicationStatusFields('f1')).vimeo_uploaded).toBe(false);
    await p.close();
  });

  it('a missing video file fails the publication, not the process', async () => {
    const s = new ScriptedUploader('s3', []);
    const { p, tasks, settled } = setup({ s3: s });
    tasks.set('m1', task('m1', { outputPath: join(dir, 'gone.mp4') }));
    p.onTaskChange({ task: tasks.get('m1')!, from: 'collecting' });
    const [row] = await settled('m1', 1);
    expect(row).toMatchObject({ state: 'failed', error: 'The finished video file is missing' });
    expect(s.jobs).toHaveLength(0);
    await p.close();
  });

  it('runs at most `concurrency` uploads at once', async () => {
    const s = new ScriptedUploader('s3', []);
    let open!: () => void;
    s.gate = new Promise((r) => (open = r));
    const { p, complete, settled } = setup({ s3: s }, { concurrency: 2 });
    for (const id of ['c1', 'c2', 'c3', 'c4']) complete(id);
    await waitFor(async () => s.active === 2, 5000, 5);
    open();
    for (const id of ['c1', 'c2', 'c3', 'c4']) await settled(id, 1);
    expect(s.maxActive).toBe(2);
    await p.close();
  });

  it('after a restart, interrupted uploads resume with their saved state and unplanned completed tasks get planned', async () => {
    const store = new MemoryPublicationStore();
    const tasks = new Map<string, Task>([['x1', task('x1')], ['x2', task('x2')], ['x3', task('x3', { state: 'rendering' })]]);
    await store.plan('x1', [{ target: 's3', type: 's3' }], 1);
    await store.update('x1', 's3', { state: 'uploading', attempts: 1, resume: { part: 2 } }, 2);
    await store.saveRequest('x2', ['s3'], 3); // completed while the gateway was down
    await store.saveRequest('x3', ['s3'], 4); // still rendering: waits for its completion
    await store.saveRequest('ghost', ['s3'], 5); // task record deleted
    const s = new ScriptedUploader('s3', []);
    const { p, settled } = setup({ s3: s }, { store, tasks });
    await p.start();
    const [r1] = await settled('x1', 1);
    await settled('x2', 1);
    expect(r1).toMatchObject({ state: 'done', attempts: 2 });
    expect(s.jobs.find((j) => j.taskId === 'x1')!.resume).toEqual({ part: 2 });
    expect(await store.list('x3')).toEqual([]);
    expect(await store.getRequest('ghost')).toBeUndefined();
    await p.close();
  });

  it('close() aborts a running upload and leaves it pending for the next start, not counted', async () => {
    const store = new MemoryPublicationStore();
    const s = new ScriptedUploader('s3', []);
    s.gate = new Promise(() => {});
    const { p, complete } = setup({ s3: s }, { store });
    complete('k1');
    await waitFor(async () => s.active === 1, 5000, 5);
    await p.close();
    expect(await store.list('k1')).toMatchObject([{ state: 'pending', attempts: 0 }]);
  });

  it('two nodes hear the same completion: one claims and uploads, the other is turned away; uploaded once', async () => {
    const store = new CountingStore();
    const tasks = new Map<string, Task>();
    const ua = new ScriptedUploader('s3', []);
    const ub = new ScriptedUploader('s3', []);
    let open!: () => void;
    ua.gate = ub.gate = new Promise((r) => (open = r));
    const a = setup({ s3: ua }, { store, tasks, holder: 'node-a', claimLeaseMs: 150 });
    const b = setup({ s3: ub }, { store, tasks, holder: 'node-b', claimLeaseMs: 150 });
    a.complete('d1');
    b.p.onTaskChange({ task: tasks.get('d1')!, from: 'collecting' });
    // One upload runs and the other node was refused its claim while it does.
    await waitFor(async () => ua.active + ub.active === 1 && store.refused >= 1, 5000, 5);
    const holder = ua.active ? 'node-a' : 'node-b';
    expect((await store.list('d1'))[0]).toMatchObject({ state: 'uploading', claimedBy: holder });
    // Held past several leases: renewals keep the other node out.
    await waitFor(async () => store.refused >= 3, 5000, 5);
    expect(ua.jobs.length + ub.jobs.length).toBe(1);
    open();
    const [row] = await a.settled('d1', 1);
    expect(row).toMatchObject({ state: 'done', attempts: 1, claimedBy: null });
    expect(a.outcomes.length + b.outcomes.length).toBe(1);
    expect(ua.jobs.length + ub.jobs.length).toBe(1);
    await Promise.all([a.p.close(), b.p.close()]);
  });

  it('a node that died mid-upload: after its claim lapses another node resumes from the saved state', async () => {
    const store = new MemoryPublicationStore();
    const tasks = new Map<string, Task>([['z1', task('z1')]]);
    await store.plan('z1', [{ target: 'vimeo', type: 'vimeo' }], 1);
    await store.update('z1', 'vimeo', { state: 'uploading', attempts: 1, resume: { uploadLink: 'tus://x' } }, 2);
    const lapse = Date.now() + 200;
    expect(await store.claim('z1', 'vimeo', 'node-dead', lapse - 200, 200)).toBe(true);
    const v = new ScriptedUploader('vimeo', []);
    const { p, settled } = setup({ vimeo: v }, { store, tasks, holder: 'node-b', claimLeaseMs: 200 });
    await p.start();
    const [row] = await settled('z1', 1);
    expect(v.jobs).toHaveLength(1);
    expect(v.jobs[0].resume).toEqual({ uploadLink: 'tus://x' });
    expect(Date.now()).toBeGreaterThanOrEqual(lapse);
    expect(row).toMatchObject({ state: 'done', attempts: 2, claimedBy: null });
    await p.close();
  });

  it('a node that loses its claim (stalled past the lease) abandons the attempt and writes nothing', async () => {
    const store = new MemoryPublicationStore();
    const s = new ScriptedUploader('s3', []);
    s.gate = new Promise(() => {});
    const { p, complete, outcomes } = setup({ s3: s }, { store, holder: 'node-a', claimLeaseMs: 60 });
    complete('l1');
    await waitFor(async () => s.active === 1, 5000, 5);
    // Another node, whose clock says node-a's claim has lapsed, takes it over.
    expect(await store.claim('l1', 's3', 'node-b', Date.now() + 1_000_000, 1_000_000)).toBe(true);
    await waitFor(async () => s.active === 0, 5000, 5);
    await p.close();
    expect(outcomes).toEqual([]);
    expect((await store.list('l1'))[0]).toMatchObject({ state: 'uploading', attempts: 1, claimedBy: 'node-b' });
  });

  it('a store fault while claiming ends that look, not the upload: it is tried again later', async () => {
    class FlakyStore extends MemoryPublicationStore {
      faults = 2;
      async claim(taskId: string, target: string, holder: string, now: number, leaseMs: number): Promise<boolean> {
        if (this.faults > 0 && this.faults--) throw new Error('connection terminated');
        return super.claim(taskId, target, holder, now, leaseMs);
      }
    }
    const store = new FlakyStore();
    const s = new ScriptedUploader('s3', []);
    const { p, complete, settled } = setup({ s3: s }, { store, claimLeaseMs: 20 });
    complete('e1');
    const [row] = await settled('e1', 1);
    expect(store.faults).toBe(0);
    expect(row).toMatchObject({ state: 'done', attempts: 1 });
    expect(s.jobs).toHaveLength(1);
    await p.close();
  });
});
