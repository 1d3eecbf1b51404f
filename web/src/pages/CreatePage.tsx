/** Create: text with a live "what the voice will say" preview, optional face video, submit. */
import { useEffect, useRef, useState } from 'react';
import { api, ApiFailure } from '../lib/api';
import { checkVideoFile, fieldForError, formatBytes } from '../lib/format';
import type { InfoView } from '../lib/types';

export function CreatePage() {
  const [info, setInfo] = useState<InfoView | null>(null);
  const [text, setText] = useState('');
  const [spoken, setSpoken] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [thumb, setThumb] = useState<string | null>(null);
  const [errors, setErrors] = useState<{ text?: string; video?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const [drag, setDrag] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    api<InfoView>('/api/info').then(setInfo, () => undefined);
  }, []);

  // Debounced preview of the normalized text; the raw text if the preview fails.
  useEffect(() => {
    if (!text.trim()) return setSpoken('');
    const t = setTimeout(() => {
      api<{ normalized: string }>('/api/normalize', { method: 'POST', body: JSON.stringify({ text }) }).then(
        (r) => setSpoken(r.normalized),
        () => setSpoken(text),
      );
    }, 250);
    return () => clearTimeout(t);
  }, [text]);

  useEffect(() => () => void (thumb && URL.revokeObjectURL(thumb)), [thumb]);

  const choose = (f: File | undefined) => {
    if (!f) return;
    const problem = info ? checkVideoFile(f, info.limits.video_formats, info.limits.max_upload_bytes) : null;
    setErrors((e) => ({ ...e, video: problem ?? undefined }));
    if (problem) return;
    setFile(f);
    setThumb(URL.createObjectURL(f));
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setErrors({});
    if (!text.trim()) return setErrors({ text: 'Enter the text to speak.' });
    setBusy(true);
    const form = new FormData();
    form.set('text', text);
    if (file) form.set('video', file, file.name);
    try {
      const r = await api<{ task_id: string }>('/api/generate', { method: 'POST', body: form });
      window.location.hash = `#/tasks/${r.task_id}`;
    } catch (err) {
      const f = err instanceof ApiFailure ? err : new ApiFailure(0, 'network', 'The gateway could not be reached.');
      setErrors({ [fieldForError(f.code)]: `${f.message} (${f.code})` });
    } finally {
      setBusy(false);
    }
  };

  const max = info?.limits.max_text_chars ?? 5000;
  return (
    <form className="card create" onSubmit={submit} noValidate>
      <h1>Create a video</h1>
      {info?.preview_notice && <p className="notice">{info.preview_notice}</p>}
      <label htmlFor="text">Text</label>
      <textarea id="text" value={text} maxLength={max} rows={6} onChange={(e) => setText(e.target.value)} aria-describedby="count text-error" aria-invalid={!!errors.text} />
      <div className="row between">
        <span id="count" className={text.length > max * 0.9 ? 'warn' : 'muted'}>
          {text.length} / {max} characters
        </span>
      </div>
      {errors.text && <p id="text-error" className="error" role="alert">{errors.text}</p>}
      <h2 className="small">What the voice will say</h2>
      <p className="spoken" data-testid="spoken" aria-live="polite">{spoken || <span className="muted">Type some text above.</span>}</p>

      <label htmlFor="video">Face video (optional{info ? `: ${info.limits.video_formats.join(', ')}, up to ${formatBytes(info.limits.max_upload_bytes)}` : ''})</label>
      <div
        className={`drop${drag ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDrag(true);
        }}
        onDragLeave={() => setDrag(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDrag(false);
          choose(e.dataTransfer.files[0]);
        }}
      >
        <input id="video" ref={fileInput} type="file" accept="video/mp4,video/quicktime,video/x-matroska,video/x-msvideo,.mp4,.mov,.mkv,.avi" onChange={(e) => choose(e.target.files?.[0])} aria-describedby="video-error" />
        <span className="muted">or drop a file here</span>
        {file && (
          <div className="thumb">
            {thumb && <video src={thumb} muted preload="metadata" aria-label="Selected video preview" />}
            <span>{file.name} · {formatBytes(file.size)}</span>
            <button type="button" className="ghost" onClick={() => { setFile(null); setThumb(null); if (fileInput.current) fileInput.current.value = ''; }}>Remove</button>
          </div>
        )}
      </div>
      {errors.video && <p id="video-error" className="error" role="alert">{errors.video}</p>}
      {errors.form && <p className="error" role="alert">{errors.form}</p>}
      <button type="submit" disabled={busy}>{busy ? 'Submitting…' : 'Generate video'}</button>
    </form>
  );
}
