import { mkdtempSync, existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { abortKind } from '../domain/abort.js';
import { TaskError } from '../domain/errors.js';
import type { Task } from '../domain/task.js';
import type { RenderRequest, RenderResult, SlotEngines } from '../engines/ports.js';
import { DataPaths } from '../runner/data-paths.js';
import { BackupRenders, type BackupHost } from './backup-renders.js';

/** A render that ends when the test says so (or fails / sees its abort). */
function controlled() {
  let finish!: (content: string) => void;
  let fail!: (err: Error) => void;
  const calls: RenderRequest[] = [];
  const aborted: Array<string | null> = [];
  const render = (req: RenderRequest): Promise<RenderResult> => {
    calls.push(req);
    return new Promise<RenderResult>((res, rej) => {
      req.signal.addEventListener('abort', () => {
        aborted.push(abortKind(req.signal));
        rej(new TaskError('canceled', 'aborted'));
      });
      finish = (content) => {
        mkdirSync(dirname(req.outPath), { recursive: true });
        writeFileSync(req.outPath, content);
        req.onCollecting?.();
        res({ outPath: req.outPath, durationSec: 2 });
      };
      fail = rej;
    });
  };
  return { render, calls, aborted, finish: (c: string) => finish(c), fail: (e: Error) => fail(e) };
}

/** An idle slot whose video engine is `render`. */
function host(id: number, render: (req: RenderRequest) => Promise<RenderResult>): BackupHost & { runs: number } {
  const h = {
    id,
    runs: 0,
    runBackup(work: (engines: SlotEngines, signal: AbortSignal) => Promise<void>, signal: AbortSignal): boolean {
      h.runs += 1;
      void work({ id, video: { render } } as unknown as SlotEngines, signal);
      return true;
    },
  };
  return h;
}

function setup(maxPerRender = 1) {
  const paths = new DataPaths(mkdtempSync(join(tmpdir(), 'hg-backup-')));
  const b = new BackupRenders(paths, { now: () => Date.now() }, pino({ level: 'silent' }), { maxPerRender });
  const task = { id: 'seg1', attempt: 1, parentId: 'p1', segmentIndex: 0 } as Task;
  const outPath = paths.output(task.id);
  mkdirSync(paths.outputs, { recursive: true }); // the pipeline's speech step made it
  const req = (signal = new AbortController().signal): RenderRequest => ({ code: 'seg1', audioPath: '/a.wav', videoPath: '/face.mp4', audioDurationSec: 2, outPath, signal });
  return { b, task, req, outPath, paths };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('backup renders', () => {
  it('a backup that finishes first is the segment video; the own render is canceled and holds its engine until it ends', async () => {
    const { b, task, req, outPath } = setup();
    const own = controlled();
    const backup = controlled();
    const racing = b.race(task, 0, req(), own.render);
    const slot1 = host(1, backup.render);
    expect(b.offer(slot1)).toBe(true);
    await tick();
    expect(backup.calls[0]).toMatchObject({ code: 'seg1-b1', audioPath: '/a.wav', videoPath: '/face.mp4' });
    backup.finish('from the backup');
    const raced = await racing;
    expect(readFileSync(raced.result.outPath, 'utf8')).toBe('from the backup');
    expect(raced.result.outPath).toBe(outPath);
    expect(own.aborted).toEqual(['cancel']);
    expect(raced.engineBusy).toBeDefined();
    await raced.engineBusy; // settles (the own render ended canceled) without throwing
    expect(b.counts).toEqual({ started: 1, won: 1 });
  });

  it('when the own render finishes first, the backup is canceled and its file never replaces the result', async () => {
    const { b, task, req } = setup();
    const own = controlled();
    const backup = controlled();
    const racing = b.race(task, 0, req(), own.render);
    b.offer(host(1, backup.render));
    await tick();
    own.finish('own');
    const raced = await racing;
    expect(readFileSync(raced.result.outPath, 'utf8')).toBe('own');
    expect(raced.engineBusy).toBeUndefined();
    expect(backup.aborted).toEqual(['cancel']);
    expect(b.counts.won).toBe(0);
  });

  it('a failed own render is saved by a backup still running; without one the error stands', async () => {
    const { b, task, req } = setup();
    const own = controlled();
    const backup = controlled();
    const racing = b.race(task, 0, req(), own.render);
    b.offer(host(1, backup.render));
    await tick();
    own.fail(new TaskError('render_failed', 'boom'));
    await tick();
    backup.finish('saved');
    expect(readFileSync((await racing).result.outPath, 'utf8')).toBe('saved');

    const alone = controlled();
    const racing2 = b.race({ ...task, id: 'seg2' }, 0, { ...req(), code: 'seg2' }, alone.render);
    alone.fail(new TaskError('render_failed', 'boom'));
    await expect(racing2).rejects.toThrow('boom');
  });

  it('a failed backup ends only itself; the own render still counts', async () => {
    const { b, task, req } = setup();
    const own = controlled();
    const backup = controlled();
    const racing = b.race(task, 0, req(), own.render);
    b.offer(host(1, backup.render));
    await tick();
    backup.fail(new TaskError('render_failed', 'backup broke'));
    await tick();
    own.finish('own');
    expect(readFileSync((await racing).result.outPath, 'utf8')).toBe('own');
  });

  it('a segment still waiting for its own lane is backed up first, and its backup can complete it', async () => {
    const { b, task, req, outPath } = setup();
    const rendering = controlled();
    const racing = b.race({ ...task, id: 'seg0' }, 1, { ...req(), code: 'seg0' }, rendering.render);
    const wait = b.waitForLane(task, 1, { audioPath: '/a.wav', videoPath: '/face.mp4', audioSec: 2 });
    const backup = controlled();
    expect(b.offer(host(2, backup.render))).toBe(true);
    await tick();
    expect(backup.calls[0].code).toBe('seg1-b2'); // the waiting one, not the one rendering
    backup.finish('from the backup');
    const result = await wait.adopt(await wait.won, outPath);
    expect(readFileSync(result.outPath, 'utf8')).toBe('from the backup');
    wait.close('cancel'); // idempotent
    expect(b.offer(host(3, controlled().render))).toBe(true); // only seg0 is left to back up
    rendering.finish('own');
    await racing;
  });

  it('a waiting segment whose lane comes first renders itself; the same backups race on', async () => {
    const { b, task, req } = setup();
    const wait = b.waitForLane(task, 0, { audioPath: '/a.wav', videoPath: '/face.mp4', audioSec: 2 });
    const backup = controlled();
    b.offer(host(1, backup.render));
    await tick();
    const own = controlled();
    const racing = b.race(task, 0, req(), own.render); // the lane was granted
    expect(b.offer(host(2, controlled().render))).toBe(false); // still one backup of it
    backup.finish('backup');
    expect(readFileSync((await racing).result.outPath, 'utf8')).toBe('backup');
    expect(own.aborted).toEqual(['cancel']);
    wait.close('cancel');
  });

  it('never backs up on the own slot, twice on one slot, more than allowed, or when off', async () => {
    const { b, task, req } = setup(1);
    const own = controlled();
    const racing = b.race(task, 0, req(), own.render);
    const backup = controlled();
    expect(b.offer(host(0, backup.render))).toBe(false); // its own slot
    expect(b.offer(host(1, backup.render))).toBe(true);
    expect(b.offer(host(1, backup.render))).toBe(false); // already backing up
    expect(b.offer(host(2, backup.render))).toBe(false); // one backup per render here
    own.finish('own');
    await racing;
    expect(b.offer(host(2, backup.render))).toBe(false); // the race is over

    const off = setup(0);
    const r = off.b.race(off.task, 0, off.req(), controlled().render);
    expect(off.b.offer(host(1, controlled().render))).toBe(false);
    void r.catch(() => undefined);
  });

  it('a shutdown leaves backups to end as shut down (no drain), a cancel drains them', async () => {
    const { b, task, req } = setup(1);
    const ctl = new AbortController();
    const own = controlled();
    const backup = controlled();
    const racing = b.race(task, 0, req(ctl.signal), own.render);
    b.offer(host(1, backup.render));
    await tick();
    const { AbortReason } = await import('../domain/abort.js');
    ctl.abort(new AbortReason('shutdown'));
    await expect(racing).rejects.toThrow();
    expect(backup.aborted).toEqual(['shutdown']);
    expect(existsSync(join(dirname(req().outPath), 'seg1.mp4'))).toBe(false);
  });
});
