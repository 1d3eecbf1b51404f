/**
 * Listen before render: POST /api/speech-preview speaks the text in the chosen voice (seconds,
 * no GPU render); the answer's WAV plays in an <audio> element. The same words again come from
 * the server's cache. A new text or voice hides the old sound, so what plays is what is typed.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiFailure, describeError, withToken } from '../lib/api';
import { taskLanguageField, type TaskLanguage } from '../lib/taskLanguage';

interface SpeechPreviewView {
  normalized_text: string;
  cached: boolean;
  duration_sec: number;
  audio_url: string;
}

/** `name`: what is listened to, for the button's accessible name when a page has several (the voices list). */
export function ListenButton(p: { text: string; language: TaskLanguage; avatarId: string; voiceId: string; onError(code: string, message: string): void; name?: string }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [src, setSrc] = useState<string | null>(null);
  const audio = useRef<HTMLAudioElement>(null);

  useEffect(() => setSrc(null), [p.text, p.language, p.avatarId, p.voiceId]);
  useEffect(() => {
    if (src) void audio.current?.play().catch(() => undefined); // autoplay may be refused: the controls remain
  }, [src]);

  const listen = async () => {
    if (!p.text.trim()) return p.onError('text_missing', t('create.textMissing'));
    setBusy(true);
    try {
      const body = { text: p.text, ...taskLanguageField(p.language), ...(p.voiceId ? { voice_id: p.voiceId } : {}), ...(p.avatarId ? { avatar_id: p.avatarId } : {}) };
      const r = await api<SpeechPreviewView>('/api/speech-preview', { method: 'POST', body: JSON.stringify(body) });
      setSrc(withToken(r.audio_url));
    } catch (err) {
      p.onError(err instanceof ApiFailure ? err.code : 'network', describeError(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="row wrap listen">
      <button type="button" className="ghost" onClick={listen} disabled={busy} data-testid="listen">
        {busy ? t('create.listening') : t('create.listen')}
        {p.name && <span className="sr-only"> {p.name}</span>}
      </button>
      {src && <audio ref={audio} src={src} controls preload="auto" aria-label={t('create.listenAudio')} data-testid="listen-audio" />}
    </div>
  );
}
