/** Per-target publish results of a finished task (Vimeo, S3…), from /api/status `publications`. */
import { useTranslation } from 'react-i18next';
import { tr } from '../i18n/tr';

export interface PublicationView {
  target: string;
  type: string;
  state: 'pending' | 'uploading' | 'done' | 'failed';
  attempts: number;
  url: string | null;
  error: string | null;
  updated_at: string | null;
}

export type WithPublications = { publications?: PublicationView[] };

/** True while any upload can still change (the page keeps polling). */
export function publishing(s: WithPublications): boolean {
  return (s.publications ?? []).some((p) => p.state === 'pending' || p.state === 'uploading');
}

export function Publications({ items }: { items: PublicationView[] | undefined }) {
  const { t } = useTranslation();
  if (!items?.length) return null;
  return (
    <>
      <h2 className="small" id="publish-h">{t('publications.title')}</h2>
      <div className="stats">
      <table className="publications" aria-labelledby="publish-h" data-testid="publications">
        <thead>
          <tr><th scope="col">{t('publications.target')}</th><th scope="col">{t('publications.state')}</th><th scope="col">{t('publications.attempts')}</th><th scope="col">{t('publications.link')}</th></tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr key={p.target} data-state={p.state}>
              <td>{p.target} <span className="muted small">({p.type})</span></td>
              <td className={p.state === 'failed' ? 'error' : undefined}>{tr(t, 'publications.states', p.state)}</td>
              <td>{p.attempts}</td>
              <td>
                {p.url && /^https?:\/\//.test(p.url) ? (
                  <a href={p.url} target="_blank" rel="noopener noreferrer">{p.type === 'vimeo' ? t('publications.openVimeo') : t('publications.openFile')}</a>
                ) : p.url ? (
                  <code>{p.url}</code>
                ) : null}
                {p.error && <span className={p.state === 'failed' ? 'error' : 'muted small'}>{p.error}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </>
  );
}
