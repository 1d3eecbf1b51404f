/** Avatars: a grid of posters (the animated preview on hover or focus), upload, rename, delete. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError, withToken } from '../lib/api';
import { formatBytes, formatSeconds } from '../lib/format';
import type { AvatarView, Page } from '../lib/library';
import { LibraryItemActions } from './LibraryItemActions';
import { UploadBox } from './UploadBox';

const pct = (share: number) => `${(Math.min(1, Math.max(0, share)) * 100).toFixed(1)}%`;

function AvatarCard(props: { a: AvatarView; onChanged: () => void }) {
  const { a } = props;
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [live, setLive] = useState(false);
  const check = a.face_check;
  const box = check?.face;
  return (
    <li className="lib-card" data-testid="avatar-card" data-id={a.id}>
      <div className="poster-frame" style={check ? { aspectRatio: `${check.width} / ${check.height}` } : undefined}>
        <img
          src={withToken(live ? a.preview_url : a.poster_url)}
          alt={live ? t('avatars.preview', { name: a.name }) : t('avatars.poster', { name: a.name })}
          tabIndex={0}
          onMouseEnter={() => setLive(true)}
          onMouseLeave={() => setLive(false)}
          onFocus={() => setLive(true)}
          onBlur={() => setLive(false)}
        />
        {box && !live && (
          // Shares of the displayed frame: the poster is that frame, shown whole (object-fit: contain).
          <span
            className="face-box"
            data-testid="face-box"
            title={t('avatars.faceBox')}
            style={{ left: pct(box.x), top: pct(box.y), width: pct(box.w), height: pct(box.h) }}
          />
        )}
      </div>
      <strong className="clip" data-testid="avatar-name">{a.name}</strong>
      <span className="muted small">
        {formatSeconds(a.duration_sec, lng)} · {formatBytes(a.bytes, lng)}{a.shared ? ` · ${t('common.shared')}` : ''}
        {check ? ` · ${t('avatars.facts', { width: check.width, height: check.height, fps: check.fps })}` : ''}
      </span>
      <LibraryItemActions kind="avatars" id={a.id} name={a.name} onChanged={props.onChanged} />
    </li>
  );
}

export function AvatarsPage() {
  const { t } = useTranslation();
  const tRef = useRef(t);
  tRef.current = t;
  const [page, setPage] = useState<Page<AvatarView> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api<Page<AvatarView>>('/api/avatars?limit=200').then(setPage, (e) => setError(describeError(e, tRef.current)));
  }, []);
  useEffect(() => load(), [load]);
  return (
    <section className="card">
      <h1>{t('avatars.title')}</h1>
      <p className="muted small">{t('avatars.help')}</p>
      <UploadBox path="/api/avatars" field="video" accept="video/*,.mp4,.mov,.mkv,.avi" label={t('avatars.upload')} onDone={load} />
      {error && <p className="error" role="alert">{error}</p>}
      <ul className="lib-grid" aria-busy={!page}>
        {page?.items.map((a) => <AvatarCard key={a.id} a={a} onChanged={load} />)}
        {page && !page.items.length && <li className="muted">{t('avatars.none')}</li>}
      </ul>
    </section>
  );
}
