/** The header's language switch: each language named in itself; the choice is remembered. */
import { useTranslation } from 'react-i18next';
import { chooseLanguage } from '../i18n';
import { LANGUAGES, type Language } from '../i18n/catalog';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="langswitch">
      <span className="sr-only">{t('app.language')}</span>
      <select value={i18n.language} onChange={(e) => chooseLanguage(e.target.value as Language)} data-testid="language-switch">
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>{l.label}</option>
        ))}
      </select>
    </label>
  );
}
