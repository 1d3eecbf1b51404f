/**
 * One normal form for a request path, decided before the router sees it (docs/security.md).
 *
 * The router decodes percent-escapes when it matches, so `/%61pi/tasks` reaches the `/api/tasks`
 * handler. Authorization is decided on the matched route (http/security.ts), which closes that
 * hole by itself; this file makes the path unambiguous as well:
 * - percent-escapes are decoded once; an escape that decodes to `/`, `\`, NUL or another `%`
 *   (double encoding), invalid or overlong UTF-8, `;` parameters and control characters are
 *   refused — no route of ours needs them;
 * - duplicate slashes collapse, `.` and `..` segments resolve (above the root: refused), a
 *   trailing slash goes;
 * - the first segment (`api`, `outputs`, `metrics`, `docs`, a UI file) must already be in its
 *   normal form, lower case and unencoded: a request that would only reach its route by
 *   normalization there is refused (400) rather than guessed.
 * Pure, so the encodings are unit-tested without a server.
 */

export type PathVerdict = { ok: true; url: string } | { ok: false; reason: string };

// Characters a path of ours may hold after decoding (RFC 3986 pchar minus `%` and `;`).
const ALLOWED = /^[A-Za-z0-9\-._~!$&'()*+,=:@/]*$/;

export function normalizeRequestUrl(rawUrl: string): PathVerdict {
  const q = rawUrl.indexOf('?');
  const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query = q === -1 ? '' : rawUrl.slice(q);
  if (!rawPath.startsWith('/')) return { ok: false, reason: 'The path must start with "/"' };
  if (rawPath.includes(';')) return { ok: false, reason: 'Path parameters (";") are not accepted' };
  const segments: string[] = [];
  for (const raw of rawPath.split('/').slice(1)) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return { ok: false, reason: 'The path holds an invalid percent-encoding' };
    }
    if (seg.includes('/') || seg.includes('\\')) return { ok: false, reason: 'An encoded slash is not accepted in a path' };
    if (seg.includes('%')) return { ok: false, reason: 'Double percent-encoding is not accepted' };
    if (!ALLOWED.test(seg)) return { ok: false, reason: 'The path holds characters no route uses' };
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (segments.length === 0) return { ok: false, reason: 'The path climbs above the root' };
      segments.pop();
      continue;
    }
    segments.push(seg);
  }
  const first = segments[0] ?? '';
  const rawFirst = rawPath.split('/')[1] ?? '';
  // The first segment decides which part of the service a request is for: it is never guessed.
  if (first !== first.toLowerCase() || rawFirst !== first) {
    return { ok: false, reason: 'The first path segment must be written plainly (lower case, no encoding, no dot or empty segments before it)' };
  }
  return { ok: true, url: `/${segments.join('/')}${query}` };
}
