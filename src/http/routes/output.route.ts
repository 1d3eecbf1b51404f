/**
 * Output options and caption styles (docs/output.md):
 *  - POST /api/output-images: upload a background or watermark picture (PNG/JPEG) → its id;
 *  - GET /api/caption-styles: the presets (built-in and config) and the installed fonts;
 *  - POST /api/caption-styles/preview: a PNG of a style on a frame of the face video (an
 *    avatar's, else the default face).
 */
import type { FastifyInstance } from 'fastify';
import { rm } from 'node:fs/promises';
import { presentCaptionStyle } from '../../domain/presenters.js';
import type { Gateway } from '../../gateway.js';
import { resolveLanguage } from '../../language/intake.js';
import { renderCaptionPreview, SAMPLE_TEXT } from '../../segments/caption-preview.js';
import { ApiError, errorBodySchema } from '../errors.js';
import { captionStyleOf, checkFont } from '../fields/caption-style.js';
import { languageOf } from '../fields/language.js';
import { idField, viewerOf } from '../fields/library.js';
import { access } from '../security.js';
import { receiveUpload } from './library-common.js';

const errors = (m: Record<number, string>) => Object.fromEntries(Object.entries(m).map(([k, d]) => [k, { ...errorBodySchema, description: d }]));

const styleSchema = { type: 'object', additionalProperties: true, description: 'A caption style: name, font, size, color, outline_color, outline, box, box_color, bold, position, max_line_chars, max_line_chars_cjk, max_lines, uppercase' };

export function registerOutputRoutes(app: FastifyInstance, gw: Gateway): void {
  app.post(
    '/api/output-images',
    {
      config: access('submit', { storesUpload: true }),
      schema: {
        tags: ['output'],
        summary: 'Upload a background or watermark image',
        description: 'multipart/form-data with `image` (PNG or JPEG, ≤ 10 MB, ≤ 8192 px a side). The answer\'s `id` goes into `background` or `watermark` of POST /api/generate, a batch row or a template. The same picture gives the same id.',
        docsBody: { content: { 'multipart/form-data': { schema: { type: 'object', properties: { image: { type: 'string', format: 'binary' } }, required: ['image'] } } } },
        response: {
          201: {
            type: 'object',
            properties: { id: { type: 'string' }, width: { type: 'integer' }, height: { type: 'integer' }, format: { type: 'string', enum: ['png', 'jpeg'] }, bytes: { type: 'integer' } },
            required: ['id', 'width', 'height', 'format', 'bytes'],
            additionalProperties: true,
          },
          ...errors({ 400: 'No image, not a PNG or JPEG, unreadable (`image_invalid`), malformed body', 413: 'Over 10 MB or 8192 px a side (`image_too_large`)', 415: 'Not multipart' }),
        },
      },
    },
    async (req, reply) => {
      const up = await receiveUpload(gw, req, 'image', ['.png', '.jpg', '.jpeg']);
      try {
        if (!up.file) throw new ApiError(400, 'image_missing', 'Send the picture in the "image" field');
        return reply.code(201).send(await gw.segments.images.keep(up.file));
      } finally {
        if (up.file) await rm(up.file, { force: true });
      }
    },
  );

  app.get(
    '/api/caption-styles',
    {
      config: access('read'),
      schema: {
        tags: ['output'],
        summary: 'Caption style presets and installed fonts',
        response: {
          200: {
            type: 'object',
            properties: {
              styles: { type: 'array', items: styleSchema },
              fonts: { type: 'array', items: { type: 'string' }, description: 'Font families fontconfig knows (lower-case); a style names one of them' },
            },
            required: ['styles', 'fonts'],
            additionalProperties: true,
          },
        },
      },
    },
    async () => {
      const fonts = [...((await gw.segments.fonts.list()) ?? [])].sort();
      return { styles: Object.values(gw.segments.captionPresets).map(presentCaptionStyle), fonts };
    },
  );

  app.post<{ Body: { caption_style?: unknown; avatar_id?: unknown; text?: unknown; language?: unknown } }>(
    '/api/caption-styles/preview',
    {
      config: access('submit', { createsWork: true }),
      schema: {
        tags: ['output'],
        summary: 'A PNG of a caption style on a frame of the face video',
        description: 'JSON `{caption_style, avatar_id?, text?, language?}`: the style (a preset name or an object, as on POST /api/generate) drawn on a frame of the avatar\'s face video (default: the default avatar or face) with a sample line (or `text`, its first cue). Answers image/png.',
        body: {
          type: 'object',
          properties: {
            caption_style: { oneOf: [{ type: 'string', maxLength: 4000 }, { type: 'object' }] },
            avatar_id: { type: 'string', maxLength: 200 },
            text: { type: 'string', maxLength: 500 },
            language: { type: 'string', maxLength: 20 },
          },
          additionalProperties: false,
        },
        response: {
          ...errors({
            400: 'Unknown preset or bad style key (`caption_style_invalid`), unknown language',
            404: 'avatar_id names no avatar this key can see',
            422: 'The style names a font that is not installed (`font_not_found`)',
          }),
        },
      },
    },
    async (req, reply) => {
      const b = req.body ?? {};
      const style = captionStyleOf(b.caption_style ?? 'default', gw.segments.captionPresets)!;
      await checkFont(style, (f) => gw.segments.fonts.has(f));
      const text = typeof b.text === 'string' && b.text.trim() ? b.text.trim() : null;
      const language = resolveLanguage(languageOf(b.language), text ?? '');
      const refs = await gw.library.resolveForTask(viewerOf(req), { avatarId: idField(b, 'avatar_id'), voiceId: null, hasUpload: false });
      let video = gw.defaultFaceVideo;
      if (refs.avatarId) {
        const avatar = await gw.library.get('avatar', refs.avatarId, viewerOf(req));
        video = gw.library.path(avatar.data.faceKey);
      }
      const size = await gw.segments.frameSize(video);
      const png = await renderCaptionPreview({ video, style, text: text ?? SAMPLE_TEXT[language], language, size, ffmpegPath: gw.config.media.ffmpeg });
      return reply.type('image/png').header('cache-control', 'no-store').send(png);
    },
  );
}
