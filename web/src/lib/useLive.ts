/**
 * Live task updates: server-sent events from /api/events, with polling as the fallback when
 * the stream cannot be opened or keeps failing.
 */
import { useEffect, useRef } from 'react';
import { withToken } from './api';
import type { TaskSummary } from './types';

export function useLiveTasks(onTask: (t: TaskSummary) => void, poll: () => void, pollMs = 2000): void {
  const cb = useRef(onTask);
  cb.current = onTask;
  const pollRef = useRef(poll);
  pollRef.current = poll;
  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | null = null;
    const startPolling = () => {
      if (!timer) timer = setInterval(() => pollRef.current(), pollMs);
    };
    let es: EventSource | null = null;
    if (typeof EventSource === 'undefined') startPolling();
    else {
      es = new EventSource(withToken('/api/events'));
      es.addEventListener('task', (e) => {
        let row: TaskSummary;
        try {
          row = JSON.parse((e as MessageEvent).data) as TaskSummary;
        } catch {
          return; // a malformed event is skipped; the next poll or event repairs the view
        }
        cb.current(row);
      });
      // EventSource reconnects by itself (unless the server refused it): poll meanwhile.
      es.onerror = () => startPolling();
      es.addEventListener('hello', () => {
        if (timer) clearInterval(timer);
        timer = null;
        // Catch up on changes made before the stream was (re)subscribed: those sent no event.
        pollRef.current();
      });
    }
    return () => {
      es?.close();
      if (timer) clearInterval(timer);
    };
  }, [pollMs]);
}
