/** The `callback_url` field of POST /api/generate: absent/empty → none; otherwise a checked URL or a 400. */
import type { Gateway } from '../../gateway.js';
import { ApiError } from '../errors.js';
import { TargetRefused } from '../../webhooks/ssrf.js';

export async function callbackOf(gw: Pick<Gateway, 'webhooks'>, raw: unknown): Promise<string | null> {
  if (raw === undefined || raw === null || raw === '') return null;
  try {
    return await gw.webhooks.checkCallback(raw);
  } catch (err) {
    if (err instanceof TargetRefused) throw new ApiError(400, err.code, `callback_url: ${err.message}`);
    throw err;
  }
}
