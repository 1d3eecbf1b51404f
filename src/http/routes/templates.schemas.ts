/** JSON schemas of the template routes (docs/templates.md) and the status fields a template render adds. */
import { errorBodySchema } from '../errors.js';

type Json = Record<string, unknown>;
const str = (description?: string): Json => ({ type: 'string', ...(description ? { description } : {}) });
const nullableStr = (description: string): Json => ({ type: ['string', 'null'], description });

export const errorDoc = (description: string): Json => ({ ...errorBodySchema, description });

export const templateIdParams = { type: 'object', properties: { id: { type: 'string', maxLength: 100 } }, required: ['id'] } as const;

const optionsSchema: Json = {
  type: 'object',
  description: 'Output and caption options as generate takes them (aspect, resolution, background, format, watermark_*, caption_style), stored as given strings',
  additionalProperties: { type: 'string', maxLength: 200 },
};

export const templateInputSchema: Json = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    script: { type: 'string', minLength: 1, description: 'The script, with {{variables}} (letters, digits, _; any script)' },
    avatar_id: { type: ['string', 'null'] },
    voice_id: { type: ['string', 'null'] },
    language: { type: 'string', maxLength: 20, description: 'auto (default), zh or en' },
    captions: { type: ['string', 'null'], description: 'burn, or off (default)' },
    options: optionsSchema,
    shared: { type: 'boolean', description: 'Other keys may read and render it (admin only)' },
  },
  required: ['name', 'script'],
  additionalProperties: false,
};

export const templateSchema: Json = {
  type: 'object',
  description: 'One version of a template',
  properties: {
    id: str(),
    version: { type: 'integer', minimum: 1 },
    name: str(),
    script: str(),
    variables: { type: 'array', items: str(), description: 'Variable names of the script, in first-use order' },
    avatar_id: nullableStr('Library avatar'),
    voice_id: nullableStr('Library voice'),
    language: str('auto, zh or en'),
    captions: nullableStr('burn, or null'),
    options: optionsSchema,
    shared: { type: 'boolean' },
    owner: nullableStr('API key id of its owner'),
    created_time: str('When this version was stored (ISO 8601)'),
  },
  required: ['id', 'version', 'name', 'script', 'variables', 'options', 'shared', 'created_time'],
  additionalProperties: true,
};

export const templateListSchema: Json = {
  type: 'object',
  properties: { success: { type: 'boolean' }, items: { type: 'array', items: templateSchema }, total: { type: 'integer' } },
  required: ['success', 'items', 'total'],
};

export const renderBodySchema: Json = {
  type: 'object',
  properties: {
    variables: { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }] }, description: 'A value for every {{variable}} of the script' },
    version: { type: 'integer', minimum: 1, description: 'Render an older version (default: the newest)' },
    callback_url: { type: 'string' },
    publish: {},
  },
  additionalProperties: false,
};

/** The status of a task made from a template names it (GET /api/status/:id). */
export function withTemplateFields(schema: Json): Json {
  const s = schema as { properties: Record<string, Json> };
  return {
    ...schema,
    properties: {
      ...s.properties,
      template_id: nullableStr('The template the task was rendered from (docs/templates.md)'),
      template_version: { type: ['integer', 'null'], description: 'The version of that template it used' },
    },
  };
}
