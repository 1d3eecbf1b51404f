/**
 * A polite live region that speaks one short message once `value` has stopped changing for a
 * moment — instead of a screen reader reading a whole preview again on every keystroke.
 */
import { useEffect, useState } from 'react';

export function SettledStatus({ value, message, delayMs = 1500 }: { value: string; message: string; delayMs?: number }) {
  const [said, setSaid] = useState('');
  useEffect(() => {
    setSaid('');
    if (!value) return;
    const timer = setTimeout(() => setSaid(message), delayMs);
    return () => clearTimeout(timer);
  }, [value, message, delayMs]);
  return <span className="sr-only" role="status" aria-live="polite" data-testid="settled-status">{said}</span>;
}
