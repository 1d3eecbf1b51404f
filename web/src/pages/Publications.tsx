/** Per-target publish results of a finished task (Vimeo, S3…), from /api/status `publications`. */
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

const STATE_LABEL = { pending: 'waiting', uploading: 'uploading…', done: 'published', failed: 'failed' } as const;

/** True while any upload can still change (the page keeps polling). */
export function publishing(s: WithPublications): boolean {
  return (s.publications ?? []).some((p) => p.state === 'pending' || p.state === 'uploading');
}

export function Publications({ items }: { items: PublicationView[] | undefined }) {
  if (!items?.length) return null;
  return (
    <>
      <h2 className="small" id="publish-h">Publishing</h2>
      <div className="stats">
      <table className="publications" aria-labelledby="publish-h" data-testid="publications">
        <thead>
          <tr><th scope="col">Target</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Link or error</th></tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr key={p.target} data-state={p.state}>
              <td>{p.target} <span className="muted small">({p.type})</span></td>
              <td className={p.state === 'failed' ? 'error' : undefined}>{STATE_LABEL[p.state] ?? p.state}</td>
              <td>{p.attempts}</td>
              <td>
                {p.url && /^https?:\/\//.test(p.url) ? (
                  <a href={p.url} target="_blank" rel="noopener noreferrer">{p.type === 'vimeo' ? 'Open on Vimeo' : 'Open file'}</a>
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
