/** Voices: upload from an audio or video file with an optional transcript, play the sample, rename, delete. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { tr } from '../i18n/tr';
import { formatSeconds } from '../lib/format';
import { api, describeError, withToken } from '../lib/api';
import type { Page, VoiceView } from '../lib/library';
import { LibraryItemActions } from './LibraryItemActions';
import { UploadBox } from './UploadBox';
import { ListenButton } from './ListenButton';

export function VoicesPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const tRef = useRef(t);
  tRef.current = t;
  const [page, setPage] = useState<Page<VoiceView> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [transcript, setTranscript] = useState('');
  // Listen: one sentence, spoken by each voice on demand (POST /api/speech-preview, cached)
  const [sample, setSample] = useState(() => t('studio.voiceSample'));
  const [listenError, setListenError] = useState<{ id: string; message: string } | null>(null);
  const load = useCallback(() => {
    api<Page<VoiceView>>('/api/voices?limit=200').then(setPage, (e) => setError(describeError(e, tRef.current)));
  }, []);
  useEffect(() => load(), [load]);
  return (
    <section className="card">
      <h1>{t('voices.title')}</h1>
      <UploadBox
        path="/api/voices"
        field="audio"
        accept="audio/*,video/*,.wav,.mp3,.m4a,.ogg,.flac,.mp4,.mov,.mkv,.avi"
        label={t('voices.upload')}
        extra={(f) => transcript.trim() && f.set('reference_text', transcript.trim())}
        onDone={() => {
          setTranscript('');
          load();
        }}
      >
        <label htmlFor="reference-text">{t('voices.transcript')}</label>
        <textarea id="reference-text" rows={2} value={transcript} onChange={(e) => setTranscript(e.target.value)} />
      </UploadBox>
      {error && <p className="error" role="alert">{error}</p>}
      <label htmlFor="voice-sample-text">{t('studio.voiceSampleLabel')}</label>
      <input id="voice-sample-text" className="field" value={sample} maxLength={300} onChange={(e) => setSample(e.target.value)} data-testid="voice-sample-text" />
      <ul className="lib-list" aria-busy={!page}>
        {page?.items.map((v) => (
          <li key={v.id} className="lib-card" data-testid="voice-card" data-id={v.id}>
            <strong className="clip" data-testid="voice-name">{v.name}</strong>
            <span className="muted small">
              {t('voices.from', { source: tr(t, 'voices.sources', v.source) })} · {formatSeconds(v.duration_sec, lng)}{v.shared ? ` · ${t('common.shared')}` : ''}{v.preprocessed ? ` · ${t('voices.preprocessed')}` : ''}
            </span>
            {v.reference_text && <q className="small">{v.reference_text}</q>}
            <audio controls preload="none" src={withToken(v.sample_url)} aria-label={t('voices.sample', { name: v.name })} />
            <ListenButton text={sample} language="auto" avatarId="" voiceId={v.id} name={v.name} onError={(_code, message) => setListenError({ id: v.id, message })} />
            {listenError?.id === v.id && <p className="error small" role="alert">{listenError.message}</p>}
            <LibraryItemActions kind="voices" id={v.id} name={v.name} onChanged={load} />
          </li>
        ))}
        {page && !page.items.length && <li className="muted">{t('voices.none')}</li>}
      </ul>
    </section>
  );
}
