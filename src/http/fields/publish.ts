/**
 * The generate route's one call into publishing: the request's `publish` field (multipart,
 * urlencoded or JSON) → target ids, or a 400 with code `publish_target_unknown`.
 */
import { ApiError } from '../errors.js';
import { PublishChoiceError } from '../../publish/choice.js';
import type { Publisher } from '../../publish/publisher.service.js';

export function publishTargetsOf(publisher: Publisher, raw: unknown): string[] {
  try {
    return publisher.parseChoice(raw);
  } catch (err) {
    if (err instanceof PublishChoiceError) throw new ApiError(400, err.code, err.message);
    throw err;
  }
}
