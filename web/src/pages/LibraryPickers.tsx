/** Create page: pick a library avatar and/or voice instead of uploading a face video. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, withToken } from '../lib/api';
import type { AvatarView, Page, VoiceView } from '../lib/library';

export function LibraryPickers(props: { avatarId: string; voiceId: string; onAvatar: (id: string) => void; onVoice: (id: string) => void }) {
  const { t } = useTranslation();
  const [avatars, setAvatars] = useState<AvatarView[]>([]);
  const [voices, setVoices] = useState<VoiceView[]>([]);
  useEffect(() => {
    api<Page<AvatarView>>('/api/avatars?limit=200').then((p) => setAvatars(p.items), () => undefined);
    api<Page<VoiceView>>('/api/voices?limit=200').then((p) => setVoices(p.items), () => undefined);
  }, []);
  const chosen = avatars.find((a) => a.id === props.avatarId);
  return (
    <div className="pickers row wrap">
      <label>
        {t('pickers.avatar')}
        <select value={props.avatarId} onChange={(e) => props.onAvatar(e.target.value)} data-testid="avatar-picker">
          <option value="">{t('pickers.avatarNone')}</option>
          {avatars.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
        </select>
      </label>
      {chosen && <img className="picker-poster" src={withToken(chosen.poster_url)} alt={t('pickers.poster', { name: chosen.name })} />}
      <label>
        {t('pickers.voice')}
        <select value={props.voiceId} onChange={(e) => props.onVoice(e.target.value)} data-testid="voice-picker">
          <option value="">{t('pickers.voiceNone')}</option>
          {voices.map((v) => <option key={v.id} value={v.id}>{v.name}</option>)}
        </select>
      </label>
    </div>
  );
}
