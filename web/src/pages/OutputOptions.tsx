/**
 * Output and caption choices of the create page (docs/output.md): frame shape, format,
 * background, captions and their style, with a live preview of the chosen style drawn on a frame
 * of the face video (POST /api/caption-styles/preview; the avatar's face, else the default).
 * The values are form fields of POST /api/generate, by their API names.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, getApiKey } from '../lib/api';
import { taskLanguageField, type TaskLanguage } from '../lib/taskLanguage';

export interface OutputChoice {
  captions: 'off' | 'burn';
  caption_style: string;
  aspect: string;
  format: 'mp4' | 'webm';
  background: string;
}

export const DEFAULT_OUTPUT: OutputChoice = { captions: 'off', caption_style: 'default', aspect: '', format: 'mp4', background: '#000000' };

/** The form fields a choice sends: nothing for what is left at its default (today's output). */
export function outputFields(c: OutputChoice): Record<string, string> {
  const f: Record<string, string> = {};
  if (c.captions === 'burn') f.captions = 'burn';
  if (c.caption_style !== 'default') f.caption_style = c.caption_style;
  if (c.aspect) {
    f.aspect = c.aspect;
    if (c.background !== '#000000') f.background = c.background;
  }
  if (c.format !== 'mp4') f.format = c.format;
  return f;
}

const ASPECTS = ['16:9', '9:16', '1:1', '4:5'];
const PREVIEW_DEBOUNCE_MS = 300;

export function OutputOptions(p: { value: OutputChoice; onChange(v: OutputChoice): void; avatarId: string; text: string; language: TaskLanguage }) {
  const { t } = useTranslation();
  const [styles, setStyles] = useState<string[]>(['default']);
  const [preview, setPreview] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const set = (k: keyof OutputChoice, v: string) => p.onChange({ ...p.value, [k]: v });

  useEffect(() => {
    api<{ styles: Array<{ name: string }> }>('/api/caption-styles').then((r) => setStyles(r.styles.map((s) => s.name)), () => undefined);
  }, []);

  // the first sentence of the text (or a sample) in the chosen style, on the face; newer choices abort older requests
  const sample = p.text.trim().split(/(?<=[。！？.!?])\s*/)[0]?.slice(0, 120) ?? '';
  useEffect(() => {
    const ctl = new AbortController();
    let url: string | null = null;
    const timer = setTimeout(() => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const key = getApiKey();
      if (key) headers.authorization = `Bearer ${key}`;
      const body = { caption_style: p.value.caption_style, ...(p.avatarId ? { avatar_id: p.avatarId } : {}), ...(sample ? { text: sample } : {}), ...taskLanguageField(p.language) };
      fetch('/api/caption-styles/preview', { method: 'POST', headers, body: JSON.stringify(body), signal: ctl.signal })
        .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(String(r.status)))))
        .then((b) => {
          url = URL.createObjectURL(b);
          setPreview(url);
          setFailed(false);
        })
        .catch(() => !ctl.signal.aborted && setFailed(true));
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [p.value.caption_style, p.avatarId, sample, p.language]);

  return (
    <fieldset className="output-options" data-testid="output-options">
      <legend>{t('output.title')}</legend>
      <div className="row wrap">
        <label>
          {t('output.aspect')}
          <select value={p.value.aspect} onChange={(e) => set('aspect', e.target.value)} data-testid="output-aspect">
            <option value="">{t('output.asRendered')}</option>
            {ASPECTS.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </label>
        {p.value.aspect && (
          <label>
            {t('output.background')}
            <input type="color" value={p.value.background} onChange={(e) => set('background', e.target.value)} data-testid="output-background" />
          </label>
        )}
        <label>
          {t('output.format')}
          <select value={p.value.format} onChange={(e) => set('format', e.target.value)} data-testid="output-format">
            <option value="mp4">MP4 (H.264)</option>
            <option value="webm">WebM (VP9)</option>
          </select>
        </label>
        <label>
          {t('output.captions')}
          <select value={p.value.captions} onChange={(e) => set('captions', e.target.value)} data-testid="output-captions">
            <option value="off">{t('output.captionsOff')}</option>
            <option value="burn">{t('output.captionsBurn')}</option>
          </select>
        </label>
        <label>
          {t('output.captionStyle')}
          <select value={p.value.caption_style} onChange={(e) => set('caption_style', e.target.value)} data-testid="caption-style">
            {styles.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
      </div>
      {preview && <img className="caption-preview" src={preview} alt={t('output.previewAlt', { style: p.value.caption_style })} data-testid="caption-preview" />}
      {failed && <p className="muted small">{t('output.previewFailed')}</p>}
    </fieldset>
  );
}
