/** Response and request schemas of the webhook routes (documentation + serialization). */
import { bool, int, nullable, object, str } from './schemas.js';
import { WEBHOOK_EVENT_TYPES } from '../webhooks/outbox-store.js';

const eventList = { type: 'array', items: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] }, minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length, uniqueItems: true };

export const endpointSchema = object('A registered webhook endpoint', {
  id: str(),
  url: str(),
  events: eventList,
  description: nullable(str()),
  enabled: bool(),
  secret_hint: str('The first characters of the signing secret'),
  previous_secret_valid_until: nullable(str('While a rotation overlaps: until when the old secret is also signed with')),
  created_time: str(),
  updated_time: str(),
});

export const endpointWithSecretSchema = object('A webhook endpoint with its signing secret (shown only now)', {
  ...(endpointSchema.properties as Record<string, Record<string, unknown>>),
  secret: str('The signing secret: store it, it is not shown again'),
});

export const endpointListSchema = object('Webhook endpoints of this API key', { webhooks: { type: 'array', items: endpointSchema } });

const attemptSchema = object('One delivery attempt', {
  attempt: int(),
  time: str(),
  duration_ms: int(),
  status: nullable(int('HTTP status of the answer; null when there was none')),
  error: nullable(str()),
  node: nullable(str()),
});

export const deliverySchema = object('One event for one receiver, with every attempt', {
  id: str(),
  event_id: str(),
  event_type: str(),
  task_id: nullable(str()),
  endpoint_id: nullable(str('null: the task’s own callback_url')),
  url: str(),
  state: { type: 'string', enum: ['pending', 'delivering', 'delivered', 'failed'] },
  attempts: int(),
  next_attempt_time: nullable(str()),
  created_time: str(),
  delivered_time: nullable(str()),
  last_status: nullable(int()),
  last_error: nullable(str()),
  attempt_log: { type: 'array', items: attemptSchema },
});

export const deliveryListSchema = object('Deliveries, newest first', { deliveries: { type: 'array', items: deliverySchema } });

export const createEndpointBody = {
  type: 'object',
  properties: {
    url: { type: 'string', maxLength: 2048 },
    events: eventList,
    description: { type: 'string', maxLength: 200 },
    enabled: { type: 'boolean' },
  },
  required: ['url'],
  additionalProperties: false,
} as const;

export const patchEndpointBody = {
  type: 'object',
  properties: {
    url: { type: 'string', maxLength: 2048 },
    events: eventList,
    description: { type: ['string', 'null'], maxLength: 200 },
    enabled: { type: 'boolean' },
    rotate_secret: { type: 'boolean', description: 'New secret; the old one stays valid for overlap_seconds' },
    overlap_seconds: { type: 'integer', minimum: 0, maximum: 604_800, description: 'How long the old secret keeps being signed with (default a day)' },
  },
  additionalProperties: false,
} as const;
