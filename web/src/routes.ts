/**
 * The routes table (hash routing: #/, #/from/<id>, #/tasks, #/tasks/<id>, #/farm, #/stats). Hash routes need
 * no server support, so the gateway serves one index.html. Adding a page = one row here plus
 * its component in App's PAGES map (+ its name under `nav.<key>` in each catalog, web/src/i18n);
 * rows with `nav` appear in the top navigation.
 * Pure, so matching is unit-tested without a browser.
 */
export type PageKey = 'create' | 'tasks' | 'task' | 'farm' | 'stats' | 'avatars' | 'voices' | 'batches' | 'batch' | 'templates' | 'usage';

export interface RouteDef {
  key: PageKey;
  /** Matched against the hash without its leading '#'; capture group 1 is the page's param. */
  pattern: RegExp;
  /** Link target for the top navigation (omit for detail pages). Label and page title: `nav.<key>`. */
  nav?: { href: string };
}

export const ROUTES: RouteDef[] = [
  { key: 'task', pattern: /^\/tasks\/([0-9a-z]{26})$/ },
  // `#/from/<task id>`: duplicate and edit — the create page prefilled from that task.
  { key: 'create', pattern: /^(?:\/|\/from\/([0-9a-z]{26}))?$/, nav: { href: '#/' } },
  // `#/tasks?status=…&q=…&page=…`: the list's filters in the address (lib/listQuery.ts); the param is the query.
  { key: 'tasks', pattern: /^\/tasks\/?(?:\?(.*))?$/, nav: { href: '#/tasks' } },
  { key: 'avatars', pattern: /^\/avatars\/?$/, nav: { href: '#/avatars' } },
  { key: 'voices', pattern: /^\/voices\/?$/, nav: { href: '#/voices' } },
  { key: 'batch', pattern: /^\/batches\/([0-9a-z]{26})$/ },
  { key: 'batches', pattern: /^\/batches\/?$/, nav: { href: '#/batches' } },
  { key: 'templates', pattern: /^\/templates\/?$/, nav: { href: '#/templates' } },
  { key: 'farm', pattern: /^\/farm\/?$/, nav: { href: '#/farm' } },
  { key: 'stats', pattern: /^\/stats\/?$/, nav: { href: '#/stats' } },
  { key: 'usage', pattern: /^\/usage\/?$/, nav: { href: '#/usage' } },
];

export interface Match {
  route: RouteDef;
  param: string | null;
  /** True when nothing matched and the Create page is shown instead. */
  fallback: boolean;
}

export function matchRoute(hash: string): Match {
  const path = hash.replace(/^#/, '');
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (m) return { route, param: m[1] ?? null, fallback: false };
  }
  return { route: ROUTES.find((r) => r.key === 'create')!, param: null, fallback: true };
}

/** Which nav entry is current: a task page belongs under Tasks, a batch under Batches. */
export function navKeyOf(key: PageKey): PageKey {
  return key === 'task' ? 'tasks' : key === 'batch' ? 'batches' : key;
}
