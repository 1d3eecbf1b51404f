/**
 * What a selection of tasks can do at once: cancel the unfinished, retry the failed and
 * canceled, delete (unfinished ones are canceled first; the dialog says so), and download the
 * finished videos as one ZIP (GET /api/tasks/results.zip: a plain link, the browser streams it
 * to disk). Each action says what it did in a polite status line.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiFailure, describeError, withToken } from '../lib/api';
import { isFinal } from '../lib/format';
import type { TaskSummary } from '../lib/types';
import { ConfirmButton } from './ConfirmButton';

const retryable = (x: TaskSummary) => x.status === 'failed' || x.status === 'timeout' || x.status === 'canceled';

/** Cancels (when running) then deletes one task. */
export async function cancelAndDelete(id: string, status: string): Promise<void> {
  if (!isFinal(status)) {
    // a task that ended meanwhile answers 409 task_finished: deleting it is still right
    await api(`/api/tasks/${id}/cancel`, { method: 'POST' }).catch((e: unknown) => {
      if (!(e instanceof ApiFailure && e.code === 'task_finished')) throw e;
    });
  }
  await api(`/api/tasks/${id}`, { method: 'DELETE' });
}

export function BulkBar(p: { tasks: TaskSummary[]; allOnPage: boolean; onSelectAll(on: boolean): void; onDone(error: string | null): void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState('');
  const running = p.tasks.filter((x) => !isFinal(x.status));
  const failed = p.tasks.filter(retryable);
  const finished = p.tasks.filter((x) => x.status === 'completed');

  /** Runs `one` on each task in turn; says how many went through, and the first refusal. */
  const each = async (list: TaskSummary[], one: (x: TaskSummary) => Promise<unknown>, done: 'studio.canceledN' | 'studio.retriedN' | 'studio.deletedN') => {
    setBusy(true);
    let ok = 0;
    let first: string | null = null;
    for (const x of list) {
      try {
        await one(x);
        ok++;
      } catch (e) {
        first ??= describeError(e, t);
      }
    }
    setBusy(false);
    setSaid(t(done, { count: ok }));
    p.onDone(first);
  };

  return (
    <div className="bulk row wrap" role="group" aria-label={t('studio.bulk')} data-testid="bulk">
      <label className="inline">
        <input type="checkbox" checked={p.allOnPage} onChange={(e) => p.onSelectAll(e.target.checked)} data-testid="pick-all" />
        {t('studio.selectPage')}
      </label>
      {p.tasks.length > 0 && (
        <>
          <span className="muted">{t('studio.selected', { count: p.tasks.length })}</span>
          {running.length > 0 && (
            <ConfirmButton label={t('studio.cancelN', { count: running.length })} question={t('studio.cancelQuestion', { count: running.length })} confirm={t('confirm.cancelConfirm')} disabled={busy}
              onConfirm={() => void each(running, (x) => api(`/api/tasks/${x.task_id}/cancel`, { method: 'POST' }), 'studio.canceledN')} testId="bulk-cancel" />
          )}
          {failed.length > 0 && (
            <button type="button" disabled={busy} onClick={() => void each(failed, (x) => api(`/api/tasks/${x.task_id}/retry`, { method: 'POST' }), 'studio.retriedN')} data-testid="bulk-retry">
              {t('studio.retryN', { count: failed.length })}
            </button>
          )}
          <ConfirmButton label={t('studio.deleteN', { count: p.tasks.length })} className="danger" disabled={busy}
            question={running.length ? t('studio.deleteRunningQuestion', { count: p.tasks.length, running: running.length }) : t('studio.deleteQuestion', { count: p.tasks.length })}
            confirm={t('studio.deleteConfirm')} onConfirm={() => void each(p.tasks, (x) => cancelAndDelete(x.task_id, x.status), 'studio.deletedN')} testId="bulk-delete" />
          {finished.length > 0 && (
            <a className="button" href={withToken(`/api/tasks/results.zip?ids=${finished.map((x) => x.task_id).join(',')}`)} download data-testid="bulk-zip">
              {t('studio.zipN', { count: finished.length })}
            </a>
          )}
        </>
      )}
      <span className="sr-only" role="status">{said}</span>
    </div>
  );
}
