/** The header's theme switch: the system's, light or dark; the choice is remembered. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { chooseTheme, savedTheme, THEMES, type Theme } from '../lib/theme';

export function ThemeSwitch() {
  const { t } = useTranslation();
  const [theme, setTheme] = useState<Theme>(savedTheme);
  return (
    <label className="langswitch themeswitch">
      <span className="sr-only">{t('app.theme')}</span>
      <select
        value={theme}
        onChange={(e) => {
          const next = e.target.value as Theme;
          chooseTheme(next);
          setTheme(next);
        }}
        data-testid="theme-switch"
      >
        {THEMES.map((th) => <option key={th} value={th}>{t(`theme.${th}`)}</option>)}
      </select>
    </label>
  );
}
