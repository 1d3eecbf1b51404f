/** Shell: skip link, navigation from the routes table, language switch, the current page. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiKeyBox } from './pages/ApiKeyBox';
import { LanguageSwitch } from './pages/LanguageSwitch';
import { ThemeSwitch } from './pages/ThemeSwitch';
import { AvatarsPage } from './pages/AvatarsPage';
import { VoicesPage } from './pages/VoicesPage';
import { BatchesPage } from './pages/BatchesPage';
import { CreatePage } from './pages/CreatePage';
import { FarmPage } from './pages/FarmPage';
import { StatsPage } from './pages/StatsPage';
import { TaskPage } from './pages/TaskPage';
import { TasksPage } from './pages/TasksPage';
import { TemplatesPage } from './pages/TemplatesPage';
import { UsagePage } from './pages/UsagePage';
import { matchRoute, navKeyOf, ROUTES, type PageKey } from './routes';

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash || '#/');
  useEffect(() => {
    const on = () => setHash(window.location.hash || '#/');
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

/** One component per route key (see routes.ts). `key` on TaskPage resets its state per task. */
const PAGES: Record<PageKey, (param: string | null) => ReactNode> = {
  create: (from) => <CreatePage key={from ?? 'new'} from={from} />,
  tasks: (query) => <TasksPage key={query ?? ''} query={query} />,
  task: (id) => <TaskPage key={id} id={id!} />,
  batches: () => <BatchesPage />,
  batch: (id) => <BatchesPage key={id} id={id ?? undefined} />,
  farm: () => <FarmPage />,
  stats: () => <StatsPage />,
  avatars: () => <AvatarsPage />,
  voices: () => <VoicesPage />,
  templates: () => <TemplatesPage />,
  usage: () => <UsagePage />,
};

export function App() {
  const { t } = useTranslation();
  const hash = useHash();
  const { route, param } = matchRoute(hash);
  const current = navKeyOf(route.key);
  const title = t(`nav.${route.key}`);
  const first = useRef(true);
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  useEffect(() => setMenuOpen(false), [hash]); // a page chosen from the menu closes it
  useEffect(() => {
    document.title = `${title} · heygem-gateway`;
    // After in-app navigation, move focus to the new page for keyboard and screen-reader users
    // (hash navigation leaves it on the clicked link); not on first load.
    if (!first.current) document.getElementById('main')?.focus({ preventScroll: true });
    first.current = false;
  }, [route.key, param, title]);
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>{t('app.skip')}</a>
      <header className="top">
        <a className="brand" href="#/">heygem-gateway</a>
        {/* Phone: one row (brand, key, menu button); the nav and switches open under it. Wide: all in one row. */}
        <button type="button" className="menu-button ghost" aria-expanded={menuOpen} aria-controls="menu" ref={menuButton} onClick={() => setMenuOpen(!menuOpen)} data-testid="menu-button">
          {t('studio.menu')}
        </button>
        <div className="menu" id="menu" data-open={menuOpen} onKeyDown={(e) => { if (e.key === 'Escape' && menuOpen) { setMenuOpen(false); menuButton.current?.focus(); } }}>
          <nav aria-label={t('app.mainNav')}>
            {ROUTES.filter((r) => r.nav).map((r) => (
              <a key={r.key} href={r.nav!.href} aria-current={r.key === current ? 'page' : undefined}>
                {t(`nav.${r.key}`)}
              </a>
            ))}
          </nav>
          <LanguageSwitch />
          <ThemeSwitch />
        </div>
        <ApiKeyBox />
      </header>
      <main id="main" tabIndex={-1}>{PAGES[route.key](param)}</main>
    </>
  );
}
