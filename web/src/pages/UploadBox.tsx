/**
 * An upload form for the library pages: a file, a name, extra fields, and a progress bar. A
 * chosen file is checked before anything is sent — empty, type (the `.ext` entries of `accept`),
 * size (/api/info's limit), and for a face video (field `video`) its length — the checks the
 * server makes first, said in the UI's language.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../lib/api';
import { gatewayInfo } from '../lib/info';
import { checkVideoFile, checkVideoLength, formatPercent } from '../lib/format';
import { mediaLength } from '../lib/mediaLength';
import { uploadWithProgress } from '../lib/library';

export function UploadBox(props: { path: string; field: string; accept: string; label: string; extra?: (form: FormData) => void; children?: ReactNode; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [limits, setLimits] = useState<{ bytes: number; seconds: number | null }>({ bytes: Infinity, seconds: null });
  const input = useRef<HTMLInputElement>(null);
  // the file whose length is being read: a later choice wins over an earlier one still reading
  const choosing = useRef<File | null>(null);
  useEffect(() => {
    // unknown limits: the server still checks
    gatewayInfo().then((i) => setLimits({ bytes: i.limits.max_upload_bytes, seconds: i.limits.max_video_seconds ?? null }), () => undefined);
  }, []);
  const formats = props.accept.split(',').filter((a) => a.startsWith('.')).map((a) => a.slice(1).toLowerCase());
  const settle = (f: File | null, problem: string | null) => {
    if (problem && input.current) input.current.value = '';
    setFile(problem ? null : f);
    setError(problem);
  };
  const choose = async (f: File | null) => {
    choosing.current = f;
    const problem = f ? checkVideoFile(f, formats, limits.bytes, t, i18n.language) : null;
    settle(f, problem);
    // only a face video has a length limit (a voice's clip is cut to its reference length); the
    // file is taken at once and dropped again if its header says it is too long (the server checks too)
    if (!f || problem || props.field !== 'video') return;
    // awaited, not read from state: a file chosen before /api/info answered is checked too
    const maxSeconds = (await gatewayInfo().catch(() => null))?.limits.max_video_seconds;
    if (!maxSeconds) return;
    const tooLong = checkVideoLength(await mediaLength(f), maxSeconds, t, i18n.language);
    if (tooLong && choosing.current === f) settle(null, tooLong);
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!file) return setError(t('upload.chooseFile'));
    const form = new FormData();
    if (name.trim()) form.set('name', name.trim());
    props.extra?.(form);
    form.set(props.field, file, file.name);
    setError(null);
    setProgress(0);
    try {
      await uploadWithProgress(props.path, form, setProgress);
      setFile(null);
      setName('');
      (e.target as HTMLFormElement).reset();
      props.onDone();
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setProgress(null);
    }
  };
  const id = `upload-${props.field}`;
  return (
    <form className="upload" onSubmit={submit} noValidate>
      <label htmlFor={id}>{props.label}</label>
      <input ref={input} id={id} type="file" accept={props.accept} onChange={(e) => void choose(e.target.files?.[0] ?? null)} aria-describedby={error ? `${id}-error` : undefined} />
      <label htmlFor={`${id}-name`}>{t('upload.name')}</label>
      <input id={`${id}-name`} value={name} maxLength={80} onChange={(e) => setName(e.target.value)} placeholder={t('upload.namePlaceholder')} />
      {props.children}
      {progress !== null && <progress max={1} value={progress} aria-label={t('upload.progress')} data-testid="upload-progress" />}
      {error && <p id={`${id}-error`} className="error" role="alert">{error}</p>}
      <button type="submit" disabled={progress !== null}>{progress !== null ? t('upload.uploading', { percent: formatPercent(progress, i18n.language, 0) }) : t('upload.submit')}</button>
    </form>
  );
}
