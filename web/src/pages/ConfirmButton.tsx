/**
 * A button for an action that cannot be undone (delete, cancel): it opens a modal <dialog> that
 * says what will happen, and only its confirm button acts. The native dialog traps focus, closes
 * on Escape and hands focus back to the button that opened it.
 */
import { useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function ConfirmButton(p: { label: ReactNode; question: string; confirm: string; onConfirm(): void; disabled?: boolean; className?: string; testId?: string }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button type="button" className={p.className} disabled={p.disabled} onClick={() => dialog.current?.showModal()} data-testid={p.testId}>
        {p.label}
      </button>
      <dialog ref={dialog} className="confirm" aria-labelledby={p.testId ? `${p.testId}-q` : undefined} data-testid={p.testId ? `${p.testId}-dialog` : undefined}>
        <form method="dialog">
          <p id={p.testId ? `${p.testId}-q` : undefined}>{p.question}</p>
          <div className="row">
            {/* the safe choice first, and focused when the dialog opens */}
            <button type="submit" value="keep" autoFocus>{t('confirm.keep')}</button>
            <button type="submit" value="confirm" className="danger" onClick={() => p.onConfirm()}>{p.confirm}</button>
          </div>
        </form>
      </dialog>
    </>
  );
}
