/** Create: text with a live "what the voice will say" preview, optional face video, submit. */
import { useEffect, useState } from 'react';
import { api, ApiFailure, describeError } from '../lib/api';
import { fieldForError } from '../lib/format';
import { classLabel, distinctChanges, rawPreview, type NormalizeView } from '../lib/spoken';
import type { InfoView } from '../lib/types';
import { LibraryPickers } from './LibraryPickers';
import { VideoPicker } from './VideoPicker';

type Errors = { text?: string; video?: string; form?: string };
const PREVIEW_DEBOUNCE_MS = 250;

export function CreatePage() {
  const [info, setInfo] = useState<InfoView | null>(null);
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<NormalizeView & { fallback?: boolean }>(rawPreview(''));
  const [file, setFile] = useState<File | null>(null);
  const [avatarId, setAvatarId] = useState('');
  const [voiceId, setVoiceId] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<InfoView>('/api/info').then(setInfo, () => undefined); // limits unknown: the server still checks
  }, []);

  // Debounced; a newer keystroke aborts the older request so answers can't arrive out of order.
  useEffect(() => {
    if (!text.trim()) return setPreview(rawPreview(''));
    const ctl = new AbortController();
    const t = setTimeout(() => {
      api<NormalizeView>('/api/normalize', { method: 'POST', body: JSON.stringify({ text }), signal: ctl.signal }).then(
        (r) => setPreview({ normalized: r.normalized, changes: r.changes ?? [] }),
        () => !ctl.signal.aborted && setPreview({ ...rawPreview(text), fallback: true }),
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [text]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setErrors({});
    if (!text.trim()) return setErrors({ text: 'Enter the text to speak.' });
    setBusy(true);
    const form = new FormData();
    form.set('text', text);
    if (file && !avatarId) form.set('video', file, file.name);
    if (avatarId) form.set('avatar_id', avatarId);
    if (voiceId) form.set('voice_id', voiceId);
    try {
      const r = await api<{ task_id: string }>('/api/generate', { method: 'POST', body: form });
      window.location.hash = `#/tasks/${r.task_id}`;
    } catch (err) {
      const code = err instanceof ApiFailure ? err.code : 'network';
      setErrors({ [fieldForError(code)]: describeError(err) });
    } finally {
      setBusy(false);
    }
  };

  const max = info?.limits.max_text_chars ?? 5000;
  const { shown, more } = distinctChanges(preview.changes);
  return (
    <form className="card create" onSubmit={submit} noValidate>
      <h1>Create a video</h1>
      {info?.preview_notice && <p className="notice">{info.preview_notice}</p>}
      <label htmlFor="text">Text</label>
      <textarea id="text" value={text} maxLength={max} rows={6} onChange={(e) => setText(e.target.value)} aria-describedby={`count${errors.text ? ' text-error' : ''}`} aria-invalid={!!errors.text} />
      <span id="count" className={`small ${text.length > max * 0.9 ? 'warn' : 'muted'}`}>
        {text.length.toLocaleString()} / {max.toLocaleString()} characters
      </span>
      {errors.text && <p id="text-error" className="error" role="alert">{errors.text}</p>}

      <h2 className="small">What the voice will say</h2>
      <p className="spoken" data-testid="spoken" aria-live="polite">{preview.normalized || <span className="muted">Type some text above.</span>}</p>
      {preview.fallback && <p className="muted small">Preview unavailable: showing the text as typed.</p>}
      {shown.length > 0 && (
        <ul className="changes" aria-label="Rewritten for speech">
          {shown.map((c) => (
            <li key={`${c.start}-${c.original}`}>
              <code>{c.original}</code> <span aria-hidden="true">→</span><span className="sr-only">is read as</span> {c.spoken}
              {c.class && <> <span className="badge change-class">{classLabel(c.class)}</span></>}
            </li>
          ))}
          {more > 0 && <li className="muted">and {more} more</li>}
        </ul>
      )}

      <LibraryPickers avatarId={avatarId} voiceId={voiceId} onAvatar={setAvatarId} onVoice={setVoiceId} />
      {!avatarId && <VideoPicker info={info} file={file} error={errors.video} onChange={(f, problem) => { setFile(f); setErrors((e) => ({ ...e, video: problem ?? undefined })); }} />}
      {errors.form && <p id="form-error" className="error" role="alert">{errors.form}</p>}
      <button type="submit" disabled={busy}>{busy ? 'Submitting…' : 'Generate video'}</button>
    </form>
  );
}
