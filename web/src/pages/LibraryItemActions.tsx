/** Rename and delete for one library card (avatar or voice); errors (e.g. 409 in use) shown inline. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../lib/api';
import { ConfirmButton } from './ConfirmButton';

export function LibraryItemActions(props: { kind: 'avatars' | 'voices'; id: string; name: string; onChanged: () => void }) {
  const { kind, id, name, onChanged } = props;
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(name);
  const [error, setError] = useState<string | null>(null);
  const rename = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      await api(`/api/${kind}/${id}`, { method: 'PATCH', body: JSON.stringify({ name: value }) });
      setEditing(false);
      setError(null);
      onChanged();
    } catch (err) {
      setError(describeError(err, t));
    }
  };
  const remove = async () => {
    try {
      await api(`/api/${kind}/${id}`, { method: 'DELETE' });
      onChanged();
    } catch (err) {
      setError(describeError(err, t));
    }
  };
  return (
    <>
      {editing ? (
        <form className="row" onSubmit={rename}>
          <input aria-label={t('upload.newName')} value={value} maxLength={80} onChange={(e) => setValue(e.target.value)} />
          <button type="submit">{t('common.save')}</button>
        </form>
      ) : (
        <div className="row">
          <button type="button" className="ghost" onClick={() => setEditing(true)}>{t('common.rename')}</button>
          <ConfirmButton className="ghost" label={t('common.delete')} question={t(kind === 'avatars' ? 'confirm.deleteAvatar' : 'confirm.deleteVoice', { name })} confirm={t('common.delete')} onConfirm={remove} testId={`delete-${id}`} />
        </div>
      )}
      {error && <p className="error small" role="alert">{error}</p>}
    </>
  );
}
