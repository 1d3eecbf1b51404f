/**
 * espeak-ng, run as a separate program (GPL-3.0; not linked). The text goes in on stdin so a
 * text that starts with "-" is never read as an option, and no length limit of argv applies.
 */
import { runProcess } from '../../media/process.js';

export function espeakArgs(outWav: string, o: { voice?: string; wordsPerMinute?: number; ssml?: boolean } = {}): string[] {
  return ['-v', o.voice ?? 'en', '-s', String(o.wordsPerMinute ?? 160), ...(o.ssml ? ['-m'] : []), '-w', outWav, '--stdin'];
}

export async function espeakToWav(
  espeakPath: string,
  text: string,
  outWav: string,
  o: { voice?: string; wordsPerMinute?: number; ssml?: boolean; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<void> {
  await runProcess(espeakPath, espeakArgs(outWav, o), { input: text, signal: o.signal, timeoutMs: o.timeoutMs ?? 60_000 });
}
