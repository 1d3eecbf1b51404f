/**
 * The per-request `publish` field: "none", or target ids separated by commas/spaces, or
 * absent (→ the targets marked `default`). Pure; the generate route calls `parsePublishChoice`
 * and turns a `PublishChoiceError` into a 400.
 */
export interface TargetRef {
  id: string;
  enabled: boolean;
  default: boolean;
}

export class PublishChoiceError extends Error {
  readonly code = 'publish_target_unknown';
}

export const MAX_PUBLISH_FIELD = 400;

/** The target ids to publish to; `raw` is whatever the client sent (string, array, or nothing). */
export function parsePublishChoice(raw: unknown, targets: readonly TargetRef[]): string[] {
  if (raw === undefined || raw === null || raw === '') return targets.filter((t) => t.enabled && t.default).map((t) => t.id);
  const text = Array.isArray(raw) ? raw.map(String).join(',') : typeof raw === 'string' ? raw : null;
  if (text === null) throw new PublishChoiceError('publish: expected "none" or a comma-separated list of target ids');
  if (text.length > MAX_PUBLISH_FIELD) throw new PublishChoiceError(`publish: longer than ${MAX_PUBLISH_FIELD} characters`);
  const ids = [...new Set(text.split(/[\s,]+/).map((s) => s.trim().toLowerCase()).filter(Boolean))];
  if (ids.length === 0 || (ids.length === 1 && ids[0] === 'none')) return [];
  const known = new Map(targets.map((t) => [t.id, t]));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) {
    const offered = targets.filter((t) => t.enabled).map((t) => t.id);
    throw new PublishChoiceError(
      `publish: unknown target ${unknown.map((u) => `"${u.slice(0, 40)}"`).join(', ')} (configured: ${offered.length ? offered.join(', ') : 'none'})`,
    );
  }
  const disabled = ids.filter((id) => !known.get(id)!.enabled);
  if (disabled.length) throw new PublishChoiceError(`publish: target ${disabled.join(', ')} is disabled`);
  return ids;
}
