/**
 * POST /api/generate — the compatible entry point: multipart (`text`, optional `video`),
 * `application/x-www-form-urlencoded` (what the replaced app's scripts send with Python
 * `requests.post(url, data={"text": ...})`) or JSON `{"text"}` — one validation for all three.
 * The upload streams to disk under a name derived from the new task id (bounded memory, no
 * user-chosen paths), is checked by content with ffprobe, and only then is the task stored.
 * Any rejection removes the partial upload: nothing is stored for bad input.
 */
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { speechTask } from '../../language/intake.js';
import type { Answer } from '../../batches/idempotency.js';
import type { TemplateRef } from '../../templates/template.js';
import { estimateVideoSeconds } from '../../usage/usage.js';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { newTaskId } from '../../domain/ids.js';
import type { Gateway } from '../../gateway.js';
import { formatBytes } from '../../maintenance/disk-space.js';
import { ownerOf } from '../access.js';
import { charCount } from '../../domain/chars.js';
import { DomainError } from '../../domain/errors.js';
import { ApiError, errorBodySchema } from '../errors.js';
import { languageFields, languageIntake } from '../fields/language.js';
import { generateAcceptedSchema, generateRequestBody } from '../schemas.js';
import { generateFingerprint, idempotencyOf, replyHeaders } from '../idempotency.js';
import { publishTargetsOf } from '../fields/publish.js';
import { captionsOption } from '../fields/captions.js';
import { resolveLibraryInputs, viewerOf } from '../fields/library.js';
import type { ProbeResult } from '../../media/media.js';
import type { FaceCheckResult } from '../../checks/face-check.js';
import { callbackOf } from '../fields/callback.js';
import { avatarFace, TASK_OUTPUT_FIELDS, taskOutputOf, type FaceFacts } from '../fields/task-output.js';
import { withEta } from '../eta.schemas.js';
import { access } from '../security.js';

export const VIDEO_EXTENSIONS = ['.mp4', '.avi', '.mov', '.mkv'];

export interface Intake {
  text: string | null;
  videoPath: string | null;
  videoName: string | null;
  publish?: unknown;
  captions?: unknown;
  /** Library ids (docs/avatars.md). */
  avatar_id?: unknown;
  voice_id?: unknown;
  callbackUrl?: unknown;
  /** `auto` (default), `zh` or `en` (docs/api.md, "Language"). */
  language?: unknown;
  /** Output options and caption style fields (docs/output.md), by name. */
  output: Record<string, unknown>;
}

async function saveVideo(gw: Gateway, id: string, part: MultipartFile, intake: Intake): Promise<void> {
  if (intake.videoPath) {
    part.file.resume();
    throw videoMultiple();
  }
  const ext = extname(part.filename ?? '').toLowerCase();
  if (!VIDEO_EXTENSIONS.includes(ext)) {
    part.file.resume(); // drain so the connection can answer
    throw new ApiError(400, 'video_format_invalid', 'Invalid video format', { allowed: VIDEO_EXTENSIONS.map((e) => e.slice(1)) });
  }
  const dest = gw.paths.upload(id, ext);
  intake.videoPath = dest;
  intake.videoName = (part.filename ?? '').replace(/[^\w.\- ]+/g, '_').slice(-120);
  await pipeline(part.file, createWriteStream(dest));
  if (part.file.truncated) {
    throw new ApiError(413, 'upload_too_large', `Video is larger than the ${formatBytes(gw.config.limits.maxUploadBytes)} limit`);
  }
}

async function readMultipart(gw: Gateway, req: FastifyRequest, id: string, intake: Intake): Promise<void> {
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'video') {
        part.file.resume();
        throw new ApiError(400, 'unexpected_file', `Unexpected file field "${part.fieldname.slice(0, 40)}" (only "video")`);
      }
      await saveVideo(gw, id, part, intake);
    } else if (part.fieldname === 'text') {
      if (part.valueTruncated) throw tooLong(gw);
      intake.text = typeof part.value === 'string' ? part.value : String(part.value ?? '');
    } else if (part.fieldname === 'publish') intake.publish = part.value;
    else if (part.fieldname === 'captions') intake.captions = part.value;
    else if (part.fieldname === 'avatar_id' || part.fieldname === 'voice_id') intake[part.fieldname] = part.value;
    else if (part.fieldname === 'callback_url') intake.callbackUrl = part.value;
    else if (part.fieldname === 'language') intake.language = part.value;
    else if ((TASK_OUTPUT_FIELDS as readonly string[]).includes(part.fieldname)) intake.output[part.fieldname] = part.value;
  }
}

/**
 * A body the multipart parser cannot read (no boundary, cut off, bad part headers) is the
 * client's fault: 400, not a 500. A full disk while streaming the upload is 507.
 */
export function multipartFault(err: unknown): never {
  if (err instanceof ApiError || err instanceof DomainError) throw err;
  const e = err as { code?: string; statusCode?: number; syscall?: string };
  if (e.code === 'ENOSPC') throw new ApiError(507, 'insufficient_storage', 'Not enough free disk space to store the upload');
  // busboy's count limits are malformed requests, not large ones: 400, not 413
  if (e.code === 'FST_FILES_LIMIT') throw videoMultiple();
  if (e.code === 'FST_FIELDS_LIMIT' || e.code === 'FST_PARTS_LIMIT') throw new ApiError(400, 'too_many_fields', 'Too many form fields (send `text` and at most one `video`)');
  if (typeof e.statusCode === 'number' && e.statusCode < 500) throw err;
  if (e.syscall) throw err; // other I/O faults are ours: a logged 500
  throw new ApiError(400, 'multipart_invalid', 'Malformed or incomplete multipart body');
}

const videoMultiple = () => new ApiError(400, 'video_multiple', 'Send at most one video');

export const tooLong = (gw: Gateway) => new ApiError(400, 'text_too_long', `Text is longer than ${gw.config.limits.maxTextChars} characters`);

/** ffprobe format names of the accepted containers (mp4/mov, mkv/webm, avi). */
const CONTAINER_FORMATS = new Set(['mov', 'mp4', 'matroska', 'webm', 'avi']);

export interface CheckedVideo {
  probe: ProbeResult;
  /** The face and media check's findings (docs/checks.md). */
  check: FaceCheckResult;
}

/**
 * Content check: a real video stream, within the length limit, with a voice to clone (unless
 * one is named), then what HeyGem needs of it: frame rate, size, length and one whole face big
 * enough (gw.faceCheck; 422 with the frames and boxes found).
 */
export async function checkVideo(gw: Gateway, path: string, requireAudio = true): Promise<CheckedVideo> {
  // the library's uploads say `file_empty` for a 0-byte file; a task's upload says the same
  if ((await stat(path).catch(() => null))?.size === 0) throw new ApiError(400, 'file_empty', 'The uploaded file is empty (0 bytes)');
  const probe = await gw.media.probe(path).catch(() => null);
  if (!probe || !probe.hasVideo) throw new ApiError(400, 'video_invalid', 'The uploaded file is not a readable video');
  // Only self-contained containers: a playlist (HLS/m3u8, also auto-detected by content) would
  // make ffmpeg read other files on this host — e.g. another user's upload or output.
  if (!probe.formatName.split(',').some((f) => CONTAINER_FORMATS.has(f))) throw new ApiError(400, 'video_invalid', `Unsupported video container (${probe.formatName.slice(0, 40)})`);
  if (probe.durationSec > gw.config.limits.maxVideoSeconds) throw new ApiError(400, 'video_too_long', `Video is longer than ${gw.config.limits.maxVideoSeconds} s`);
  // Checked on ffprobe's header reading, before any frame is decoded.
  const { maxVideoPixels, maxVideoFrames } = gw.config.limits;
  const pixels = (probe.width ?? 0) * (probe.height ?? 0);
  if (pixels > maxVideoPixels) {
    throw new ApiError(400, 'video_too_large', `Video frames are ${probe.width}×${probe.height}, more than ${maxVideoPixels} pixels (limits.maxVideoPixels)`, { width: probe.width, height: probe.height, max_pixels: maxVideoPixels });
  }
  if ((probe.frameCount ?? 0) > maxVideoFrames) {
    throw new ApiError(400, 'video_too_many_frames', `Video has ${probe.frameCount} frames, more than ${maxVideoFrames} (limits.maxVideoFrames)`, { frames: probe.frameCount, max_frames: maxVideoFrames });
  }
  if (!probe.hasAudio && requireAudio) throw new ApiError(400, 'video_no_audio', 'The video has no audio track to take the voice from (or name a voice_id)');
  return { probe, check: await gw.faceCheck.check(path, probe) };
}

/**
 * Body limit for the text-only encodings: 12 bytes a character covers the worst case of both
 * (a 4-byte UTF-8 character percent-encoded, or a surrogate pair as two JSON `\u` escapes).
 * Multipart is bounded by its own per-part limits (see app.ts).
 */
export const textBodyLimit = (maxTextChars: number): number => Math.max(1024 * 1024, maxTextChars * 12 + 4096);

/** `text` of a urlencoded or JSON body; anything but one string (a number, a repeated key) is "no text". */
function textOf(body: unknown): string | null {
  const text = body && typeof body === 'object' ? (body as { text?: unknown }).text : undefined;
  return typeof text === 'string' ? text : null;
}

export function registerGenerateRoute(app: FastifyInstance, gw: Gateway): void {
  app.post(
    '/api/generate',
    { config: access('submit', { createsWork: true }),
      bodyLimit: textBodyLimit(gw.config.limits.maxTextChars),
      schema: {
        tags: ['tasks'],
        summary: 'Create a talking-head video task',
        description:
          'multipart/form-data with `text` (required) and optional `video` (mp4|avi|mov|mkv), application/x-www-form-urlencoded `text=...` ' +
          '(all three also take `avatar_id` and/or `voice_id` from the library instead of an upload, docs/avatars.md), ' +
          '(what Python `requests.post(url, data={"text": ...})` sends), or JSON `{"text": "..."}`. Text length is counted in characters (code points).',
        // Documentation only (app.ts puts it into the OpenAPI): the handler reads the body
        // itself so that all encodings share one validation and its error codes.
        docsBody: generateRequestBody,
        response: {
          202: withEta(generateAcceptedSchema),
          400: { ...errorBodySchema, description: 'No text, text too long, unknown language (`language_invalid`), bad output options (`output_invalid`, `details[]`: field, message), unknown caption style (`caption_style_invalid`), bad or unreadable video, two videos, a video and avatar_id, a callback_url that is refused, malformed body' },
          404: { ...errorBodySchema, description: 'avatar_id / voice_id names no avatar or voice this key can see' },
          413: { ...errorBodySchema, description: 'Video or body over the size limit' },
          415: { ...errorBodySchema, description: 'Not multipart, urlencoded or JSON' },
          409: { ...errorBodySchema, description: 'A request with the same Idempotency-Key is still being answered (Retry-After)' },
          422: { ...errorBodySchema, description: 'The face video cannot be used (`no_face`, `multiple_faces`, `face_too_small`, `face_cut_off`, `video_too_short`, `frame_rate_out_of_range`, `resolution_too_low`, `resolution_too_high`; docs/checks.md), characters the speech engine cannot speak (`unsupported_script`, `details[]`: char, index, script, code_point), a resolution above the face video\'s or an unknown image id (`output_invalid`), a caption font that is not installed (`font_not_found`), or Idempotency-Key reused with a different body (`idempotency_key_reused`)' },
          429: { ...errorBodySchema, description: 'Rate limit or active-task quota reached (Retry-After), or the submit would cross the key\u2019s monthly budget (`budget_exceeded`: `left`, `resets_at`; docs/templates.md)' },
          503: { ...errorBodySchema, description: 'Queue full (`queue_full`, limits.maxQueued): Retry-After from the measured drain rate' },
          507: { ...errorBodySchema, description: 'Not enough free disk space for new work' },
        },
      },
    },
    async (req, reply) => {
      const id = newTaskId();
      const intake: Intake = { text: null, videoPath: null, videoName: null, output: {} };
      try {
        if (req.isMultipart()) await readMultipart(gw, req, id, intake).catch(multipartFault);
        else {
          intake.text = textOf(req.body);
          ({ publish: intake.publish, callback_url: intake.callbackUrl, captions: intake.captions, language: intake.language } =
            (req.body as { publish?: unknown; callback_url?: unknown; captions?: unknown; language?: unknown } | null) ?? {});
        }
        const fields = req.isMultipart() ? { avatar_id: intake.avatar_id, voice_id: intake.voice_id } : ((req.body as Record<string, unknown> | null) ?? {});
        const answer = await acceptTask(gw, req, id, intake, fields);
        if (answer.replayed && intake.videoPath) await rm(intake.videoPath, { force: true }); // the first request's upload is the one used
        return reply.code(202).headers(replyHeaders(answer)).send(answer.body);
      } catch (err) {
        if (intake.videoPath) await rm(intake.videoPath, { force: true });
        throw err;
      }
    },
  );
}

/**
 * The one intake of a single task, after its request was read: POST /api/generate and a
 * template render (templates.route.ts) both end here, so every check, default and answer is
 * the same. `fields` holds the request's other fields as given (for a render: the template's,
 * its options among them). Returns the Idempotency-Key answer (202 body).
 */
export async function acceptTask(gw: Gateway, req: FastifyRequest, id: string, intake: Intake, fields: Record<string, unknown>, template?: TemplateRef): Promise<Answer> {
  const submitted = intake.text?.trim() ?? '';
  if (!submitted) throw new ApiError(400, 'text_missing', 'No text provided');
  if (charCount(submitted) > gw.config.limits.maxTextChars) throw tooLong(gw);
  const lead = (intake.text ?? '').length - (intake.text ?? '').trimStart().length;
  const lang = languageIntake(submitted, intake.language, gw.config.text.unsupportedScripts, lead);
  const speech = speechTask(lang.text, lang.requested, gw.normalize);
  const captions = captionsOption(intake.captions);
  const publishTo = publishTargetsOf(gw.publisher, intake.publish);
  const callbackUrl = await callbackOf(gw, intake.callbackUrl);
  const refs = await resolveLibraryInputs(gw.library, viewerOf(req), fields, !!intake.videoPath);
  let face: FaceFacts = { box: null, size: null };
  if (intake.videoPath) {
    const { probe, check } = await checkVideo(gw, intake.videoPath, !refs.voiceId && !gw.library.hasDefaultVoice);
    if (!probe.hasAudio && !refs.voiceId) refs.voiceId = await gw.library.defaultVoiceId();
    face = { box: check.face, size: { width: check.width, height: check.height } };
  } else if (refs.avatarId) face = avatarFace((await gw.library.get('avatar', refs.avatarId, viewerOf(req))).data.faceCheck);
  // Output options and caption style (docs/output.md): multipart fields, or the body's / template's own.
  const out = await taskOutputOf(gw, { ...fields, ...intake.output }, face);
  // Idempotency-Key (http/idempotency.ts): a repeat gets the first answer and creates nothing.
  const fingerprint = () =>
    generateFingerprint(speech.text, { ...intake, captions, output: out, language: lang.requested, avatarId: refs.avatarId ?? null, voiceId: refs.voiceId ?? null, callbackUrl: callbackUrl ?? null, ...(template ? { template } : {}) });
  return gw.pipelines.idempotency.run(idempotencyOf(req), 'generate', fingerprint, async () => {
    await gw.pipelines.admission.admit(1); // back-pressure: 503 + Retry-After past limits.maxQueued
    await gw.usage.admit(ownerOf(req), estimateVideoSeconds([speech.normalizedText], gw.segments.rate.charsPerSecond)); // 429 budget_exceeded
    await gw.library.attach(id, refs);
    if (template) await gw.templates.attach(id, template);
    await gw.publisher.requested(id, publishTo);
    if (callbackUrl) await gw.webhooks.saveCallback(id, callbackUrl);
    const task = await gw.segments.create({ ...speech, id, videoPath: intake.videoPath, videoName: intake.videoName, owner: ownerOf(req), createdAt: gw.clock.now(), captions, outputOptions: out.outputOptions, captionStyle: out.captionStyle });
    gw.lifecycle.accepted(task);
    gw.scheduler.notify();
    const position = await gw.store.queuePosition(id);
    const body = { success: true, task_id: id, message: 'Task queued', status_url: `/api/status/${id}`, queue_position: position, ...languageFields(lang), ...(template ? { template_id: template.templateId, template_version: template.version } : {}), ...(await gw.eta.fields(task, position)) };
    return { status: 202, body };
  });
}
