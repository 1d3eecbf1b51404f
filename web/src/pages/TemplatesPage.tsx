/**
 * Templates (docs/templates.md): the list, an editor with `{{variables}}` highlighted, a live
 * preview of the filled script and of its speech text (POST /api/normalize, as on Create), and
 * a render form with one field per variable. Saving an existing template stores a new version.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../lib/api';
import { rawPreview, type NormalizeView } from '../lib/spoken';
import { TASK_LANGUAGES, taskLanguageField, type TaskLanguage } from '../lib/taskLanguage';
import { fillScript, scriptParts, variablesOf, type TemplateView } from '../lib/templates';
import { ConfirmButton } from './ConfirmButton';
import { SettledStatus } from './SettledStatus';

const PREVIEW_DEBOUNCE_MS = 250;
const ASPECTS = ['', '16:9', '9:16', '1:1', '4:5'];
/** Shown where the catalog speaks of a variable (braces in a catalog string would be i18next's own). */
const EXAMPLE = '{{name}}';

interface Draft {
  id: string | null;
  version: number;
  name: string;
  script: string;
  language: TaskLanguage;
  burn: boolean;
  options: Record<string, string>;
}

const empty = (): Draft => ({ id: null, version: 0, name: '', script: '', language: 'auto', burn: false, options: {} });
const draftOf = (v: TemplateView): Draft => ({ id: v.id, version: v.version, name: v.name, script: v.script, language: (TASK_LANGUAGES as readonly string[]).includes(v.language) ? (v.language as TaskLanguage) : 'auto', burn: v.captions === 'burn', options: v.options });

export function TemplatesPage() {
  const { t } = useTranslation();
  const [list, setList] = useState<TemplateView[] | null>(null);
  const [d, setD] = useState<Draft>(empty());
  const [values, setValues] = useState<Record<string, string>>({});
  const [spoken, setSpoken] = useState<NormalizeView>(rawPreview(''));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = () => api<{ items: TemplateView[] }>('/api/templates').then((r) => setList(r.items), (e: unknown) => setError(describeError(e, t)));
  useEffect(() => void load(), []); // eslint-disable-line react-hooks/exhaustive-deps

  const variables = variablesOf(d.script);
  const filled = fillScript(d.script, values);
  // The speech text of the filled script, debounced; a newer keystroke aborts the older request.
  useEffect(() => {
    if (!filled.text.trim()) return setSpoken(rawPreview(''));
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      api<NormalizeView>('/api/normalize', { method: 'POST', body: JSON.stringify({ text: filled.text, ...taskLanguageField(d.language) }), signal: ctl.signal }).then(
        (r) => setSpoken({ normalized: r.normalized, changes: r.changes ?? [] }),
        () => !ctl.signal.aborted && setSpoken(rawPreview(filled.text)),
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [filled.text, d.language]);

  const act = async (what: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      await what();
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };
  const body = () => JSON.stringify({ name: d.name, script: d.script, ...taskLanguageField(d.language), captions: d.burn ? 'burn' : null, options: d.options });
  const save = () => act(async () => {
    const v = await api<TemplateView>(d.id ? `/api/templates/${d.id}` : '/api/templates', { method: d.id ? 'PUT' : 'POST', body: body() });
    setD(draftOf(v));
    setSaved(t('templates.saved', { version: v.version }));
    await load();
  });
  const render = () => act(async () => {
    const r = await api<{ task_id: string }>(`/api/templates/${d.id}/render`, { method: 'POST', body: JSON.stringify({ variables: values }) });
    window.location.hash = `#/tasks/${r.task_id}`;
  });
  const remove = () => act(async () => {
    await api(`/api/templates/${d.id}`, { method: 'DELETE' });
    setD(empty());
    await load();
  });
  const setOption = (k: string, v: string) => setD({ ...d, options: Object.fromEntries(Object.entries({ ...d.options, [k]: v }).filter(([, x]) => x)) });

  return (
    <section className="card templates">
      <div className="row between wrap">
        <h1>{t('templates.title')}</h1>
        <button type="button" className="ghost" onClick={() => { setD(empty()); setValues({}); }} data-testid="tpl-new">{t('templates.new')}</button>
      </div>
      {list === null ? <p className="muted">{t('common.loading')}</p> : list.length === 0 ? <p className="muted">{t('templates.none', { example: EXAMPLE })}</p> : (
        <ul className="template-list" data-testid="tpl-list">
          {list.map((x) => (
            <li key={x.id}>
              <button type="button" className="ghost small" aria-current={x.id === d.id ? 'true' : undefined} onClick={() => { setD(draftOf(x)); setValues({}); }}>{x.name}</button>{' '}
              <span className="muted small">{t('templates.versionShort', { version: x.version })} · {x.variables.map((v) => `{{${v}}}`).join(' ')}</span>
            </li>
          ))}
        </ul>
      )}

      <h2 className="small">{d.id ? t('templates.editing', { version: d.version }) : t('templates.creating')}</h2>
      <label htmlFor="tpl-name">{t('templates.name')}</label>
      <input id="tpl-name" value={d.name} maxLength={100} onChange={(e) => setD({ ...d, name: e.target.value })} />
      <label htmlFor="tpl-script">{t('templates.script')}</label>
      <textarea id="tpl-script" rows={5} value={d.script} placeholder={t('templates.scriptPlaceholder', { product: '{{product}}', price: '{{price}}' })} onChange={(e) => setD({ ...d, script: e.target.value })} aria-describedby="tpl-script-help" />
      <span id="tpl-script-help" className="small muted">{t('templates.scriptHelp', { example: EXAMPLE })}</span>
      {/* a visible heading, not aria-label: a <p> may not carry a name of its own (axe: aria-prohibited-attr) */}
      <h2 className="small">{t('templates.highlighted')}</h2>
      <p className="spoken script-parts" data-testid="tpl-highlight">
        {scriptParts(d.script).map((p, i) => (p.variable ? <mark key={i} className="variable">{p.text}</mark> : <span key={i}>{p.text}</span>))}
      </p>
      <div className="row wrap">
        <label>{t('create.taskLanguage')}{' '}
          <select value={d.language} onChange={(e) => setD({ ...d, language: e.target.value as TaskLanguage })} data-testid="tpl-language">
            {TASK_LANGUAGES.map((l) => <option key={l} value={l}>{t(`language.${l}`)}</option>)}
          </select>
        </label>
        <label>{t('templates.aspect')}{' '}
          <select value={d.options.aspect ?? ''} onChange={(e) => setOption('aspect', e.target.value)}>
            {ASPECTS.map((a) => <option key={a} value={a}>{a || t('templates.aspectDefault')}</option>)}
          </select>
        </label>
        <label><input type="checkbox" checked={d.burn} onChange={(e) => setD({ ...d, burn: e.target.checked })} /> {t('templates.burnCaptions')}</label>
      </div>

      <h2 className="small">{t('templates.variables')}</h2>
      {variables.length === 0 ? <p className="muted small">{t('templates.noVariables', { example: EXAMPLE })}</p> : (
        <div className="variables">
          {variables.map((v) => (
            <label key={v}>
              <code>{`{{${v}}}`}</code>{' '}
              <input value={values[v] ?? ''} onChange={(e) => setValues({ ...values, [v]: e.target.value })} data-testid={`var-${v}`} />
            </label>
          ))}
        </div>
      )}
      <h2 className="small">{t('templates.filled')}</h2>
      <p className="spoken" data-testid="tpl-filled">{filled.text || <span className="muted">{t('create.spokenEmpty')}</span>}</p>
      {filled.missing.length > 0 && <p className="small warn">{t('templates.missing', { names: filled.missing.join(', ') })}</p>}
      <h2 className="small">{t('create.spokenTitle')}</h2>
      {/* not a live region: a screen reader would read the whole text again on every keystroke; one short note once typing settles */}
      <p className="spoken" data-testid="tpl-spoken">{spoken.normalized || <span className="muted">{t('create.spokenEmpty')}</span>}</p>
      <SettledStatus value={spoken.normalized} message={t('studio.spokenSettled', { count: spoken.changes.length })} />

      {error && <p className="error" role="alert">{error}</p>}
      {saved && <p className="muted" role="status">{saved}</p>}
      <div className="row wrap">
        <button type="button" onClick={save} disabled={busy || !d.name.trim() || !d.script.trim()} data-testid="tpl-save">{d.id ? t('templates.saveVersion') : t('common.save')}</button>
        <button type="button" onClick={render} disabled={busy || !d.id || filled.missing.length > 0} data-testid="tpl-render">{t('templates.render')}</button>
        {d.id && <ConfirmButton className="danger" label={t('common.delete')} question={t('templates.deleteQuestion', { name: d.name })} confirm={t('common.delete')} onConfirm={remove} />}
      </div>
    </section>
  );
}
