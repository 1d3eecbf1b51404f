/**
 * A runner's result upload: the MP4 and the speech WAV of its attempt arrive as files in the
 * job's work dir, are checked like a local render's result (box structure + ffprobe: a complete
 * MP4 with video and audio of the speech's length; the WAV like a TTS reply), and only then does the fenced move to
 * `completed` happen. The lease is checked before anything is written; the files are linked
 * into outputs/ just before the fenced move (so "completed" always has its file) and withdrawn
 * if it is refused: a late upload of an attempt that lost its lease is refused (410) and can
 * never replace an output (publish-file.ts).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../domain/errors.js';
import { parseWavHeader } from '../media/wav.js';
import type { Fence, Task } from '../domain/task.js';
import { TaskError } from '../domain/errors.js';
import { isPlainOutput, outputExtension } from '../domain/output-options.js';
import { publishFile, withdrawFile } from './publish-file.js';
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

/** One part of the multipart upload (what @fastify/multipart yields, without naming it). */
export type UploadPart = { type: 'field'; fieldname: string; value: unknown } | { type: 'file'; fieldname: string; file: Readable & { truncated: boolean } };

/**
 * Read the result upload into the job's work dir under names of this attempt: exactly one
 * `video` and one `speech` file, an optional JSON `patch` field. Nothing of a refused upload is
 * kept. Refusals: `upload_invalid` (400), `upload_too_large` (413).
 */
export async function receiveUpload(parts: AsyncIterable<UploadPart>, dir: string, attempt: number, maxBytes: number): Promise<{ files: UploadedResult; patch: unknown }> {
  await mkdir(dir, { recursive: true });
  const tag = `upload-a${attempt}-${randomBytes(4).toString('hex')}`;
  const files: UploadedResult = { video: join(dir, `${tag}.mp4`), speech: join(dir, `${tag}.wav`) };
  let patch: unknown = {};
  const got = new Set<string>();
  try {
    for await (const part of parts) {
      if (part.type === 'field') {
        if (part.fieldname === 'patch') patch = JSON.parse(String(part.value));
        continue;
      }
      const target = part.fieldname === 'video' || part.fieldname === 'speech' ? files[part.fieldname] : null;
      if (!target || got.has(part.fieldname)) {
        part.file.resume();
        throw new DomainError('upload_invalid', 'invalid', `Unexpected file part "${part.fieldname.slice(0, 40)}" (expected one video and one speech)`);
      }
      got.add(part.fieldname);
      await pipeline(part.file, createWriteStream(target));
      if (part.file.truncated) throw new DomainError('upload_too_large', 'too_large', `A result file is larger than ${maxBytes} bytes`);
    }
    if (got.size !== 2) throw new DomainError('upload_invalid', 'invalid', 'Send both files: `video` (MP4) and `speech` (WAV)');
  } catch (err) {
    await Promise.all([rm(files.video, { force: true }), rm(files.speech, { force: true })]);
    if (err instanceof DomainError) throw err;
    throw new DomainError('upload_invalid', 'invalid', 'Malformed result upload');
  }
  return { files, patch };
}

/** Where an upload with output options is finished, beside it (this attempt's own name). */
const finishedPath = (video: string, ext: string): string => video.replace(/\.mp4$/, `-finished.${ext}`);

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
    // Output options (docs/output.md) are applied here, on the gateway (the runner sent the render
    // as it is), into the job's work dir: nothing reaches outputs/ before the fenced complete.
    const ext = outputExtension(current.outputOptions);
    let video = files.video;
    let engineData: Record<string, unknown> | undefined;
    if (!isPlainOutput(current.outputOptions) && gw.segments) {
      const finished = await gw.segments.steps.finishOutput(current, { outPath: files.video, durationSec: current.audioDurationSec ?? 0 }, new AbortController().signal, finishedPath(files.video, ext));
      video = finished.outPath;
      if (finished.engineData) engineData = finished.engineData;
    }
    const outputPath = join(gw.paths.outputs, `${id}.${ext}`);
    const audioPath = gw.paths.speech(id);
    const reported = cleanPatch(patch);
    // The files are at their public names before the task reads "completed" (publish-file.ts),
    // and taken back if the fenced move is refused: a late upload never replaces an output.
    current = await svc.held1(r, id, fence);
    const published = [await publishFile(video, outputPath), await publishFile(files.speech, audioPath)];
    const done = await gw.lifecycle.complete(current, { outputPath, audioPath, reported, ...(engineData ? { engineData: { ...(reported.engineData ?? {}), ...engineData } } : {}) }).catch(async (err: unknown) => {
      await Promise.all(published.map(withdrawFile));
      throw err;
    });
    if (!done) {
      await Promise.all(published.map(withdrawFile));
      throw new JobRefused(410, 'lease_lost', `Attempt ${fence.attempt} of task ${id} ended while its result was checked`);
    }
    svc.completed(r);
    return svc.toWire(done);
  } finally {
    await Promise.all([rm(files.video, { force: true }), rm(files.speech, { force: true }), rm(finishedPath(files.video, 'mp4'), { force: true }), rm(finishedPath(files.video, 'webm'), { force: true })]);
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
