/**
 * Runs the output pass (output-args.ts) with ffmpeg, on this host's CPU — never on the GPU
 * container. The file is written next to its final name and renamed into place.
 */
import { writeAtomically } from './ffmpeg.adapter.js';
import { outputPassArgs, type OutputPassInput } from './output-args.js';
import { runProcess } from './process.js';

export interface OutputPassRunner {
  ffmpegPath?: string;
  timeoutMs?: number;
}

export async function runOutputPass(i: OutputPassInput, o: OutputPassRunner = {}, signal?: AbortSignal): Promise<void> {
  const ext = `.${i.options.format}`;
  await writeAtomically(i.out, ext, (tmp) => runProcess(o.ffmpegPath ?? 'ffmpeg', outputPassArgs({ ...i, out: tmp }), { signal, timeoutMs: o.timeoutMs ?? 600_000, maxOutputBytes: 64 * 1024 }).then(() => undefined));
}
