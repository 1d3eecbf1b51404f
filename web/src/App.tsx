/**
 * Shell: navigation and hash routing (#/, #/tasks, #/tasks/<id>, #/farm). Hash routes need no
 * server support, so the gateway serves one index.html.
 */
import { useEffect, useState } from 'react';
import { ApiKeyBox } from './pages/ApiKeyBox';
import { CreatePage } from './pages/CreatePage';
import { FarmPage } from './pages/FarmPage';
import { StatsPage } from './pages/StatsPage';
import { TaskPage } from './pages/TaskPage';
import { TasksPage } from './pages/TasksPage';

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash || '#/');
  useEffect(() => {
    const on = () => setHash(window.location.hash || '#/');
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

/** The routes table: one place to add a page (e.g. Stats). */
const NAV = [
  { href: '#/', label: 'Create' },
  { href: '#/tasks', label: 'Tasks' },
  { href: '#/farm', label: 'GPUs & queue' },
  { href: '#/stats', label: 'Stats' },
];

export function App() {
  const hash = useHash();
  const taskMatch = /^#\/tasks\/([0-9a-z]{26})$/.exec(hash);
  let page;
  if (taskMatch) page = <TaskPage id={taskMatch[1]} />;
  else if (hash.startsWith('#/tasks')) page = <TasksPage />;
  else if (hash.startsWith('#/farm')) page = <FarmPage />;
  else if (hash.startsWith('#/stats')) page = <StatsPage />;
  else page = <CreatePage />;
  const active = (href: string) => (href === '#/' ? hash === '#/' || hash === '' : hash.startsWith(href));
  return (
    <>
      <header className="top">
        <a className="brand" href="#/">heygem-gateway</a>
        <nav aria-label="Main">
          {NAV.map((n) => (
            <a key={n.href} href={n.href} aria-current={active(n.href) ? 'page' : undefined}>
              {n.label}
            </a>
          ))}
        </nav>
        <ApiKeyBox />
      </header>
      <main>{page}</main>
    </>
  );
}
