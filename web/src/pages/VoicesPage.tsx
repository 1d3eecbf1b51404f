/** Voices: upload from an audio or video file with an optional transcript, play the sample, rename, delete. */
import { useCallback, useEffect, useState } from 'react';
import { api, describeError, withToken } from '../lib/api';
import type { Page, VoiceView } from '../lib/library';
import { LibraryItemActions } from './LibraryItemActions';
import { UploadBox } from './UploadBox';

export function VoicesPage() {
  const [page, setPage] = useState<Page<VoiceView> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [transcript, setTranscript] = useState('');
  const load = useCallback(() => {
    api<Page<VoiceView>>('/api/voices?limit=200').then(setPage, (e) => setError(describeError(e)));
  }, []);
  useEffect(() => load(), [load]);
  return (
    <section className="card">
      <h1>Voices</h1>
      <UploadBox
        path="/api/voices"
        field="audio"
        accept="audio/*,video/*,.wav,.mp3,.m4a,.ogg,.flac,.mp4,.mov,.mkv,.avi"
        label="Voice sample (audio, or a video with the voice)"
        extra={(f) => transcript.trim() && f.set('reference_text', transcript.trim())}
        onDone={() => {
          setTranscript('');
          load();
        }}
      >
        <label htmlFor="reference-text">What is said in it (optional, helps cloning)</label>
        <textarea id="reference-text" rows={2} value={transcript} onChange={(e) => setTranscript(e.target.value)} />
      </UploadBox>
      {error && <p className="error" role="alert">{error}</p>}
      <ul className="lib-list" aria-busy={!page}>
        {page?.items.map((v) => (
          <li key={v.id} className="lib-card" data-testid="voice-card" data-id={v.id}>
            <strong className="clip" data-testid="voice-name">{v.name}</strong>
            <span className="muted small">
              from {v.source} · {v.duration_sec.toFixed(1)} s{v.shared ? ' · shared' : ''}{v.preprocessed ? ' · preprocessed' : ''}
            </span>
            {v.reference_text && <q className="small">{v.reference_text}</q>}
            <audio controls preload="none" src={withToken(v.sample_url)} aria-label={`Sample of ${v.name}`} />
            <LibraryItemActions kind="voices" id={v.id} name={v.name} onChanged={load} />
          </li>
        ))}
        {page && !page.items.length && <li className="muted">No voices yet.</li>}
      </ul>
    </section>
  );
}
