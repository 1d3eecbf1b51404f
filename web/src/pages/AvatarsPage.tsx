/** Avatars: a grid of posters (the animated preview on hover or focus), upload, rename, delete. */
import { useCallback, useEffect, useState } from 'react';
import { api, describeError, withToken } from '../lib/api';
import { formatBytes } from '../lib/format';
import type { AvatarView, Page } from '../lib/library';
import { LibraryItemActions } from './LibraryItemActions';
import { UploadBox } from './UploadBox';

function AvatarCard(props: { a: AvatarView; onChanged: () => void }) {
  const { a } = props;
  const [live, setLive] = useState(false);
  return (
    <li className="lib-card" data-testid="avatar-card" data-id={a.id}>
      <img
        src={withToken(live ? a.preview_url : a.poster_url)}
        alt={`${a.name} (${live ? 'preview' : 'poster'})`}
        tabIndex={0}
        onMouseEnter={() => setLive(true)}
        onMouseLeave={() => setLive(false)}
        onFocus={() => setLive(true)}
        onBlur={() => setLive(false)}
      />
      <strong className="clip" data-testid="avatar-name">{a.name}</strong>
      <span className="muted small">
        {a.duration_sec.toFixed(1)} s · {formatBytes(a.bytes)}{a.shared ? ' · shared' : ''}
      </span>
      <LibraryItemActions kind="avatars" id={a.id} name={a.name} onChanged={props.onChanged} />
    </li>
  );
}

export function AvatarsPage() {
  const [page, setPage] = useState<Page<AvatarView> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api<Page<AvatarView>>('/api/avatars?limit=200').then(setPage, (e) => setError(describeError(e)));
  }, []);
  useEffect(() => load(), [load]);
  return (
    <section className="card">
      <h1>Avatars</h1>
      <p className="muted small">Upload a face video once and use it by id: its voice goes to the voice library too.</p>
      <UploadBox path="/api/avatars" field="video" accept="video/*,.mp4,.mov,.mkv,.avi" label="Face video (with the person speaking)" onDone={load} />
      {error && <p className="error" role="alert">{error}</p>}
      <ul className="lib-grid" aria-busy={!page}>
        {page?.items.map((a) => <AvatarCard key={a.id} a={a} onChanged={load} />)}
        {page && !page.items.length && <li className="muted">No avatars yet.</li>}
      </ul>
    </section>
  );
}
