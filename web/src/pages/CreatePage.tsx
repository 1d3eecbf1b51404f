/**
 * Create: text with a live "what the voice will say" preview, the text's language, optional face
 * video, Listen, submit. `from` (#/from/<task id>, duplicate and edit) prefills text, language,
 * avatar and voice from that task.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiFailure, describeError } from '../lib/api';
import { fieldForError } from '../lib/format';
import { classLabel, distinctChanges, rawPreview, type NormalizeView } from '../lib/spoken';
import { TASK_LANGUAGES, taskLanguageField, type TaskLanguage } from '../lib/taskLanguage';
import type { InfoView, TaskStatus } from '../lib/types';
import { LibraryPickers } from './LibraryPickers';
import { ListenButton } from './ListenButton';
import { SettledStatus } from './SettledStatus';
import { VideoPicker } from './VideoPicker';
import { gatewayInfo } from '../lib/info';
import { DEFAULT_OUTPUT, OutputOptions, outputFields, type OutputChoice } from './OutputOptions';

type Errors = { text?: string; video?: string; form?: string };
const PREVIEW_DEBOUNCE_MS = 250;

export function CreatePage({ from = null }: { from?: string | null } = {}) {
  const { t } = useTranslation();
  const [info, setInfo] = useState<InfoView | null>(null);
  const [text, setText] = useState('');
  const [language, setLanguage] = useState<TaskLanguage>('auto');
  const [preview, setPreview] = useState<NormalizeView & { fallback?: boolean }>(rawPreview(''));
  const [file, setFile] = useState<File | null>(null);
  const [avatarId, setAvatarId] = useState('');
  const [voiceId, setVoiceId] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [output, setOutput] = useState<OutputChoice>(DEFAULT_OUTPUT);

  useEffect(() => {
    gatewayInfo().then(setInfo, () => undefined); // limits unknown: the server still checks
  }, []);

  useEffect(() => {
    if (!from) return;
    api<TaskStatus>(`/api/status/${from}`).then(
      (s) => {
        setText(s.input_text);
        const asked = s.language_requested ?? 'auto';
        setLanguage((TASK_LANGUAGES as readonly string[]).includes(asked) ? (asked as TaskLanguage) : 'auto');
        setAvatarId(s.avatar?.id ?? '');
        setVoiceId(s.voice?.id ?? '');
      },
      (err) => setErrors({ form: describeError(err, t) }),
    );
  }, [from, t]);

  // Debounced; a newer keystroke aborts the older request so answers can't arrive out of order.
  useEffect(() => {
    if (!text.trim()) return setPreview(rawPreview(''));
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      api<NormalizeView>('/api/normalize', { method: 'POST', body: JSON.stringify({ text, ...taskLanguageField(language) }), signal: ctl.signal }).then(
        (r) => setPreview({ normalized: r.normalized, changes: r.changes ?? [] }),
        () => !ctl.signal.aborted && setPreview({ ...rawPreview(text), fallback: true }),
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [text, language]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setErrors({});
    if (!text.trim()) return setErrors({ text: t('create.textMissing') });
    setBusy(true);
    const form = new FormData();
    form.set('text', text);
    for (const [k, v] of Object.entries(taskLanguageField(language))) form.set(k, v);
    if (file && !avatarId) form.set('video', file, file.name);
    if (avatarId) form.set('avatar_id', avatarId);
    if (voiceId) form.set('voice_id', voiceId);
    for (const [k, v] of Object.entries(outputFields(output))) form.set(k, v);
    try {
      const r = await api<{ task_id: string }>('/api/generate', { method: 'POST', body: form });
      window.location.hash = `#/tasks/${r.task_id}`;
    } catch (err) {
      const code = err instanceof ApiFailure ? err.code : 'network';
      setErrors({ [fieldForError(code)]: describeError(err, t) });
    } finally {
      setBusy(false);
    }
  };

  const max = info?.limits.max_text_chars ?? 5000;
  const example = t('create.example');
  const { shown, more } = distinctChanges(preview.changes);
  return (
    <form className="card create" onSubmit={submit} noValidate>
      <h1>{t('create.title')}</h1>
      {/* the gateway's notice is fixed English text for the preview engine: shown from the catalog */}
      {info?.preview_notice && <p className="notice">{info.engine === 'preview' ? t('create.previewNotice') : info.preview_notice}</p>}
      <div className="row between wrap">
        <label htmlFor="text">{t('create.text')}</label>
        <button type="button" className="ghost small" data-testid="use-example" onClick={() => setText(example)}>{t('create.useExample')}</button>
      </div>
      <textarea id="text" value={text} maxLength={max} rows={6} placeholder={example} onChange={(e) => setText(e.target.value)} aria-describedby={`count${errors.text ? ' text-error' : ''}`} aria-invalid={!!errors.text} />
      <span id="count" className={`small ${text.length > max * 0.9 ? 'warn' : 'muted'}`}>
        {t('create.count', { count: text.length, max })}
      </span>
      {errors.text && <p id="text-error" className="error" role="alert">{errors.text}</p>}

      <label htmlFor="task-language">{t('create.taskLanguage')}</label>
      <select id="task-language" value={language} onChange={(e) => setLanguage(e.target.value as TaskLanguage)} aria-describedby="task-language-help" data-testid="task-language">
        {TASK_LANGUAGES.map((l) => <option key={l} value={l}>{t(`language.${l}`)}</option>)}
      </select>
      <span id="task-language-help" className="small muted">{t('create.taskLanguageHelp')}</span>

      <h2 className="small">{t('create.spokenTitle')}</h2>
      {/* not a live region: it changes on every keystroke; the short status below says when it has settled */}
      <p className="spoken" data-testid="spoken">{preview.normalized || <span className="muted">{t('create.spokenEmpty')}</span>}</p>
      <SettledStatus value={preview.normalized} message={t('studio.spokenSettled', { count: preview.changes.length })} />
      {preview.fallback && <p className="muted small">{t('create.previewFallback')}</p>}
      {shown.length > 0 && (
        <ul className="changes" aria-label={t('create.changes')}>
          {shown.map((c) => (
            <li key={`${c.start}-${c.original}`}>
              <code>{c.original}</code> <span aria-hidden="true">→</span><span className="sr-only">{t('create.readAs')}</span> {c.spoken}
              {c.class && <> <span className="badge change-class">{classLabel(t, c.class)}</span></>}
            </li>
          ))}
          {more > 0 && <li className="muted">{t('create.more', { count: more })}</li>}
        </ul>
      )}

      <LibraryPickers avatarId={avatarId} voiceId={voiceId} onAvatar={setAvatarId} onVoice={setVoiceId} />
      <ListenButton text={text} language={language} avatarId={avatarId} voiceId={voiceId} onError={(code, message) => setErrors({ [fieldForError(code)]: message })} />
      <OutputOptions value={output} onChange={setOutput} avatarId={avatarId} text={text} language={language} />
      {!avatarId && <VideoPicker info={info} file={file} error={errors.video} onChange={(f, problem) => { setFile(f); setErrors((e) => ({ ...e, video: problem ?? undefined })); }} />}
      {errors.form && <p id="form-error" className="error" role="alert">{errors.form}</p>}
      <button type="submit" disabled={busy}>{busy ? t('create.submitting') : t('create.submit')}</button>
    </form>
  );
}
