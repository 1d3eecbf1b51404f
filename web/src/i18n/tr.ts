/**
 * Keys built at run time from API data — a status, a phase, an error code, a class name — are
 * looked up with `tr(t, 'namespace', value)` and nothing else: a value the catalog lacks falls
 * back (to the value as sent, or a given text), and catalog.test.ts knows by this call which
 * namespaces are read dynamically.
 */
import type { TFunction } from 'i18next';
import type { en } from './en';

type Namespace = { [K in keyof typeof en]: (typeof en)[K] extends string ? never : K }[keyof typeof en];

export function tr(t: TFunction, ns: Namespace | `${Namespace}.${string}`, value: string, fallback: string = value, vars: Record<string, unknown> = {}): string {
  return String(t(`${ns}.${value}` as never, { ...vars, defaultValue: fallback }));
}
