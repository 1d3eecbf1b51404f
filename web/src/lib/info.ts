/**
 * GET /api/info, asked once per page load and shared (its limits do not change while the UI
 * runs): a check that needs a limit awaits it, so a file chosen before the answer came is still
 * checked. A failure is asked again next time (the server checks everything anyway).
 */
import { api } from './api';
import type { InfoView } from './types';

let pending: Promise<InfoView> | null = null;

export function gatewayInfo(): Promise<InfoView> {
  pending ??= api<InfoView>('/api/info').catch((e: unknown) => {
    pending = null;
    throw e;
  });
  return pending;
}
