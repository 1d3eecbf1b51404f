/**
 * A list page's filters, search and page in its address (`#/tasks?status=failed&q=launch&page=3`),
 * so a reload, a bookmark or a shared link opens the same view. Pure: parse and write.
 */
export interface ListQuery {
  status: string;
  q: string;
  /** 1-based. */
  page: number;
}

export const EMPTY_QUERY: ListQuery = { status: '', q: '', page: 1 };

/** From the part of the hash after `?` (missing or malformed values fall back to the defaults). */
export function parseListQuery(search: string | null | undefined): ListQuery {
  const p = new URLSearchParams(search ?? '');
  const page = Number(p.get('page'));
  return { status: (p.get('status') ?? '').slice(0, 40), q: (p.get('q') ?? '').slice(0, 200), page: Number.isInteger(page) && page > 1 ? page : 1 };
}

/** `#/<path>` with only the values that differ from the defaults. */
export function listHash(path: string, q: ListQuery): string {
  const p = new URLSearchParams();
  if (q.status) p.set('status', q.status);
  if (q.q) p.set('q', q.q);
  if (q.page > 1) p.set('page', String(q.page));
  const s = p.toString();
  return `#/${path}${s ? `?${s}` : ''}`;
}

/** The query part of a hash (`#/tasks?x=1` → `x=1`), '' when none. */
export function hashQuery(hash: string): string {
  const i = hash.indexOf('?');
  return i < 0 ? '' : hash.slice(i + 1);
}
