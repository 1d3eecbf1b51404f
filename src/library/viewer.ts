/**
 * Who looks at the library. With API keys on, a key sees its own items plus shared ones and
 * changes only its own; an admin key (or no auth at all: the single-user loopback setup) sees
 * and changes everything and alone marks items shared.
 */
import type { LibraryItem } from './library.js';

export interface Viewer {
  /** API key id, null when auth is off. */
  keyId: string | null;
  admin: boolean;
}

/** Everyone: auth off, or a system caller (deployment defaults). */
export const ANYONE: Viewer = { keyId: null, admin: true };

export function canSeeItem(v: Viewer, item: Pick<LibraryItem, 'owner' | 'shared'>): boolean {
  return v.admin || item.shared || item.owner === v.keyId;
}

export function canChangeItem(v: Viewer, item: Pick<LibraryItem, 'owner'>): boolean {
  return v.admin || item.owner === v.keyId;
}

/** The list filter: undefined = every item. */
export function visibleTo(v: Viewer): string | undefined {
  return v.admin ? undefined : (v.keyId ?? undefined);
}
