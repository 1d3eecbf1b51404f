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
      es.addEventListener('task', (e) => cb.current(JSON.parse((e as MessageEvent).data) as TaskSummary));
      es.onerror = () => startPolling(); // EventSource retries by itself; poll meanwhile
      es.addEventListener('hello', () => {
        if (timer) clearInterval(timer);
        timer = null;
        pollRef.current(); // catch up on what happened while disconnected
      });
    }
    return () => {
      es?.close();
      if (timer) clearInterval(timer);
    };
  }, [pollMs]);
}
