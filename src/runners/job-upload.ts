/**
 * A runner's result upload: the MP4 and the speech WAV of its attempt arrive as files in the
 * job's work dir, are checked like a local render's result (box structure + ffprobe: a complete
 * MP4 with video and audio of the speech's length; the WAV like a TTS reply), and only then does the fenced move to
 * `completed` happen. The lease is checked before anything is written and again just before
 * the files replace the published ones, so a late upload of an attempt that lost its lease is
 * refused (410) and never replaces an output.
 */
import { readFile, rename, rm } from 'node:fs/promises';
import { parseWavHeader } from '../media/wav.js';
import type { Fence, Task } from '../domain/task.js';
import { TaskError } from '../domain/errors.js';
import { cleanPatch, JobRefused, type RunnerIdentity, type RunnerService, type RunnerServiceDeps, type WireJob } from './runner-service.js';

export class UploadInvalid extends Error {
  constructor(
    message: string,
    /** `upload_invalid`, or the output check's code (`output_black`, …) for a result it refused. */
    readonly code: string = 'upload_invalid',
  ) {
    super(message);
  }
}

export interface UploadedResult {
  video: string;
  speech: string;
}

export async function completeUpload(gw: RunnerServiceDeps, svc: RunnerService, r: RunnerIdentity, id: string, fence: Fence, files: UploadedResult, patch: unknown): Promise<WireJob> {
  try {
    const task = await svc.held1(r, id, fence);
    if (task.state !== 'collecting' && task.state !== 'rendering') throw new JobRefused(409, 'state_conflict', `Task ${id} is ${task.state}; a result is accepted while rendering or collecting`);
    const verdict = await gw.media.verifyMp4(files.video, { expectedDurationSec: task.audioDurationSec ?? undefined });
    if (!verdict.ok) throw new UploadInvalid(`The uploaded video is not a complete result: ${verdict.reason}`);
    // The check TTS replies get (media/wav.ts): a real PCM WAV with samples, not a bare header.
    const wav = parseWavHeader(await readFile(files.speech));
    if (!wav || wav.durationSec <= 0) throw new UploadInvalid('The uploaded speech is not a WAV file with audio');
    await checkOutput(gw, task, files);
    // Checked again right before publishing: the checks above took a while.
    let current = await svc.held1(r, id, fence);
    if (current.state === 'rendering') {
      current = (await gw.lifecycle.move(current, 'collecting', { engineProgress: 100 })) ?? (await svc.held1(r, id, fence));
    }
    const outputPath = gw.paths.output(id);
    const audioPath = gw.paths.speech(id);
    await rename(files.video, outputPath);
    await rename(files.speech, audioPath);
    const now = gw.clock.now();
    const done = await gw.lifecycle.move(current, 'completed', { renderEndedAt: now, finishedAt: now, ...cleanPatch(patch), outputPath, audioPath, errorCode: null, errorMessage: null });
    if (!done) throw new JobRefused(410, 'lease_lost', `Attempt ${fence.attempt} of task ${id} ended while its result was checked`);
    svc.completed(r);
    return svc.toWire(done);
  } finally {
    await Promise.all([rm(files.video, { force: true }), rm(files.speech, { force: true })]);
  }
}

/**
 * The output check of an upload (docs/checks.md), on the gateway: a refused result ends the
 * attempt here (retried on another GPU the first time) and the runner hears 422 with the code.
 */
async function checkOutput(gw: RunnerServiceDeps, task: Task, files: UploadedResult): Promise<void> {
  if (!gw.outputGate) return;
  const lib = task.videoPath ? null : await gw.library.inputsForTask(task.parentId ?? task.id);
  try {
    await gw.outputGate.pass(task, { video: files.video, speech: files.speech, face: task.videoPath ?? lib?.face?.path ?? null });
  } catch (err) {
    if (!(err instanceof TaskError)) throw err;
    // the findings were stored with the attempt's fence; the attempt ends with the code
    await gw.lifecycle.failed((await gw.store.get(task.id)) ?? task, err);
    throw new UploadInvalid(err.message, err.code);
  }
}

/** A retried success whose first answer was lost: the same attempt already completed it. */
export async function alreadyCompleted(gw: Pick<RunnerServiceDeps, 'store'>, id: string, fence: Fence): Promise<boolean> {
  const task = await gw.store.get(id);
  return Boolean(task && task.state === 'completed' && task.attempt === fence.attempt);
}
