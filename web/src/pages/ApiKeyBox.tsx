/** API key entry: kept in this browser (localStorage), sent as a bearer token. */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getApiKey, setApiKey } from '../lib/api';

export function ApiKeyBox() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(getApiKey());
  const button = useRef<HTMLButtonElement>(null);
  return (
    <div className="keybox">
      <button type="button" className="ghost" aria-expanded={open} onClick={() => setOpen(!open)} ref={button}>
        {getApiKey() ? t('apiKey.buttonSet') : t('apiKey.button')}
      </button>
      {open && (
        <form
          onKeyDown={(e) => {
            // Escape closes the box and puts focus back on its button (not nowhere)
            if (e.key !== 'Escape') return;
            setOpen(false);
            button.current?.focus();
          }}
          onSubmit={(e) => {
            e.preventDefault();
            setApiKey(value.trim());
            setOpen(false);
            window.location.reload();
          }}
        >
          <label htmlFor="apikey">{t('apiKey.label')}</label>
          <input id="apikey" type="password" autoComplete="off" autoFocus value={value} onChange={(e) => setValue(e.target.value)} />
          <button type="submit">{t('common.save')}</button>
        </form>
      )}
    </div>
  );
}
