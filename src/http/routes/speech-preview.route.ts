/**
 * POST /api/speech-preview — listen before render: the text spoken in the voice a task would
 * use, as a WAV the browser's <audio> plays from `audio_url` (GET /api/speech-preview/:key.wav,
 * `?access_token=` like the video files). Validated as POST /api/generate validates text
 * (limits, language, unsupported_script). It spends the speech engine (on heygem a GPU's TTS),
 * so it is a submit-scope route with the submit guards (`createsWork`: disk, quota, rate limit);
 * answers are cached by content (speech-preview/speech-preview.ts).
 */
import type { FastifyInstance } from 'fastify';
import { stat } from 'node:fs/promises';
import { charCount } from '../../domain/chars.js';
import { TaskError } from '../../domain/errors.js';
import type { Gateway } from '../../gateway.js';
import { ApiError, errorBodySchema } from '../errors.js';
import { languageIntake } from '../fields/language.js';
import { idField, viewerOf } from '../fields/library.js';
import { speechPreviewSchema } from '../schemas.js';
import { access } from '../security.js';
import { textBodyLimit, tooLong } from './generate.route.js';

interface PreviewBody {
  text?: unknown;
  language?: unknown;
  voice_id?: unknown;
  avatar_id?: unknown;
}

export function registerSpeechPreviewRoutes(app: FastifyInstance, gw: Gateway): void {
  app.post<{ Body: PreviewBody }>(
    '/api/speech-preview',
    {
      config: access('submit', { createsWork: true }),
      bodyLimit: textBodyLimit(gw.config.limits.maxTextChars),
      schema: {
        tags: ['text'],
        summary: 'Listen before render: the speech of a text, without a video',
        description:
          'JSON `{text, language?, voice_id? | avatar_id?}`, the same text checks as POST /api/generate. The voice is the one a task with these ids would use ' +
          '(the voice, else the avatar\'s own, else the default). The WAV is cached by content (normalized text, language, voice): `cached` says whether this answer came from the cache.',
        body: {
          type: 'object',
          properties: {
            text: { type: 'string' },
            language: { type: 'string', maxLength: 20, description: 'auto (default), zh or en' },
            voice_id: { type: 'string', maxLength: 200 },
            avatar_id: { type: 'string', maxLength: 200 },
          },
          required: ['text'],
          additionalProperties: false,
        },
        response: {
          200: speechPreviewSchema,
          400: { ...errorBodySchema, description: 'No text, text too long, unknown language (`language_invalid`)' },
          404: { ...errorBodySchema, description: 'voice_id / avatar_id names no voice or avatar this key can see' },
          422: { ...errorBodySchema, description: 'Characters the speech engine cannot speak (`unsupported_script`)' },
          429: { ...errorBodySchema, description: 'Rate limit or active-task quota reached (Retry-After)' },
          502: { ...errorBodySchema, description: 'The speech engine failed (`tts_failed`)' },
          507: { ...errorBodySchema, description: 'Not enough free disk space' },
        },
      },
    },
    async (req, reply) => {
      const raw = typeof req.body.text === 'string' ? req.body.text : '';
      const submitted = raw.trim();
      if (!submitted) throw new ApiError(400, 'text_missing', 'No text provided');
      if (charCount(submitted) > gw.config.limits.maxTextChars) throw tooLong(gw);
      const lang = languageIntake(submitted, req.body.language, gw.config.text.unsupportedScripts, raw.length - raw.trimStart().length);
      const voice = await gw.library.voiceFor(viewerOf(req), { voiceId: idField(req.body, 'voice_id'), avatarId: idField(req.body, 'avatar_id') });
      const normalized = gw.normalize(lang.text, lang.language);
      if (!normalized.trim()) throw new ApiError(400, 'text_missing', 'Nothing to speak once the text is normalized');
      // A client that goes away stops the synthesis (the engine aborts, nothing is cached).
      const ac = new AbortController();
      reply.raw.once('close', () => { if (!reply.raw.writableEnded) ac.abort(); });
      try {
        const r = await gw.speechPreview.speak({ text: normalized, language: lang.language, voice, signal: ac.signal });
        return {
          normalized_text: normalized,
          language: lang.language,
          language_requested: lang.requested,
          cached: r.cached,
          duration_sec: Math.round(r.durationSec * 100) / 100,
          audio_url: `/api/speech-preview/${r.key}.wav`,
        };
      } catch (err) {
        if (err instanceof TaskError) throw new ApiError(502, 'tts_failed', `The speech engine could not speak the text: ${err.message}`.slice(0, 300));
        throw err;
      }
    },
  );

  app.get<{ Params: { file: string } }>(
    '/api/speech-preview/:file',
    {
      config: access('read', { tokenInQuery: true }),
      schema: { tags: ['text'], summary: 'A speech preview WAV (byte ranges supported)', params: { type: 'object', properties: { file: { type: 'string', maxLength: 80 } } } },
    },
    async (req, reply) => {
      const key = req.params.file.replace(/\.wav$/, '');
      const path = gw.speechPreview.fileOf(key);
      // Evicted or never made: the client asks POST /api/speech-preview again.
      if (!path || !(await stat(path).catch(() => null))?.isFile()) throw new ApiError(404, 'file_not_found', 'No such speech preview (it may have left the cache: ask for it again)');
      // The name is a checked hash: no path from the request reaches the file system.
      return reply.type('audio/wav').header('cache-control', 'private, max-age=86400').sendFile(`${key}.wav`, gw.paths.speechPreviews);
    },
  );
}
