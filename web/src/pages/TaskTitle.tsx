/**
 * The task page's heading: the task's title (or its first words) with a Rename button that turns
 * it into a field. Enter or Save sends PATCH /api/tasks/:id; Escape or Cancel puts the heading
 * back and returns focus to Rename; an empty title goes back to the first words.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../lib/api';
import { taskTitle } from '../lib/title';

export function TaskTitle(p: { id: string; title: string | null; text: string; onSaved(title: string | null): void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const rename = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  useEffect(() => {
    if (editing) field.current?.select();
    else if (wasEditing.current) rename.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ title: string | null }>(`/api/tasks/${p.id}`, { method: 'PATCH', body: JSON.stringify({ title: value }) });
      p.onSaved(r.title);
      setEditing(false);
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  const shown = taskTitle({ title: p.title, text: p.text });
  if (!editing) {
    return (
      <div className="row wrap title-row">
        <h1 data-testid="task-heading">{shown}</h1>
        <button type="button" className="ghost" ref={rename} onClick={() => { setValue(p.title ?? shown.replace(/…$/, '')); setEditing(true); }} data-testid="rename">
          {t('common.rename')}
        </button>
      </div>
    );
  }
  return (
    <form className="row wrap title-row" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <label className="grow">
        <span className="sr-only">{t('studio.titleLabel')}</span>
        <input ref={field} value={value} maxLength={120} onChange={(e) => setValue(e.target.value)} onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); setEditing(false); } }}
          aria-describedby={error ? 'title-error' : 'title-help'} aria-invalid={!!error} data-testid="title-input" />
      </label>
      <button type="submit" disabled={busy} data-testid="title-save">{t('common.save')}</button>
      <button type="button" className="ghost" onClick={() => setEditing(false)}>{t('common.cancel')}</button>
      <p id="title-help" className="muted small">{t('studio.titleHelp')}</p>
      {error && <p id="title-error" className="error" role="alert">{error}</p>}
    </form>
  );
}
