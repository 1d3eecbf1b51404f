/** Small shared pieces. */
import { useTranslation } from 'react-i18next';
import { tr } from '../i18n/tr';

/** A status or phase as the API names it, in the UI's language (unknown ones as sent); `data-status` keeps the API's value. */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`badge s-${status}`} data-status={status}>{tr(t, 'status', status)}</span>;
}

export function Progress({ value, label }: { value: number; label: string }) {
  return (
    <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={value} aria-label={label}>
      <div style={{ width: `${Math.max(0, Math.min(100, value))}%` }} />
    </div>
  );
}
