import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './App';
import { i18n } from './i18n';
import { applyTheme, savedTheme } from './lib/theme';
import './styles.css';

applyTheme(savedTheme()); // before the first paint: a remembered dark theme never flashes light

createRoot(document.getElementById('root')!).render(
  <I18nextProvider i18n={i18n}>
    <App />
  </I18nextProvider>,
);
