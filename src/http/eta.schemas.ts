/** The ETA keys of status, queue, list and generate answers (documented, not required: older rows lack them). */
import { nullable, num } from './schemas.js';

type Json = Record<string, unknown>;

export const etaProperties: Record<string, Json> = {
  eta_seconds: nullable(num('Estimated seconds until the task ends (null when final or unknown)')),
  eta_low: nullable(num('Optimistic end of the range (seconds)')),
  eta_high: nullable(num('Pessimistic end of the range (seconds)')),
};

/** `schema` (an object schema) with the ETA keys declared next to its own. */
export function withEta(schema: Json): Json {
  return { ...schema, properties: { ...(schema.properties as Json), ...etaProperties } };
}
