/**
 * The containers' host data dirs must already exist: the gateway never creates them. A
 * mistyped path that the gateway silently created would be a dir no container mounts — every
 * task would then fail inside the container with a "file not found" far from the cause. And a
 * dir Docker creates for a missing bind mount is owned by root, so the gateway could not write
 * into it. The fix is one command, so the error spells it out.
 */
import { statSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { ResolvedSlot } from './load.js';

export interface DirProblem {
  name: string;
  dir: string;
  detail: string;
  fix: string;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'the-gateway-user');
  }
}

/** The command that creates `dir` owned by the user the gateway runs as. */
export function createDirFix(dir: string): string {
  const user = currentUser();
  return `create it owned by the gateway user: mkdir -p ${dir} && chown ${user}:${user} ${dir}`;
}

/** What is wrong with one container host data dir, or null when it exists. */
export function dirProblem(dir: string): Pick<DirProblem, 'detail' | 'fix'> | null {
  try {
    if (statSync(dir).isDirectory()) return null;
    return { detail: `${dir} is not a directory`, fix: `point the setting at the directory the container mounts at /code/data` };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { detail: `${dir} does not exist`, fix: createDirFix(dir) };
    return { detail: `${dir}: ${(err as Error).message}`, fix: `give the gateway user access: chown ${currentUser()} ${dir}` };
  }
}

function check(name: string, dir: string): DirProblem | null {
  const p = dirProblem(dir);
  return p && { name, dir, ...p };
}

/** Every slot's video and TTS host data dir that is missing (or not a directory). */
export function containerDirProblems(slots: readonly ResolvedSlot[]): DirProblem[] {
  return slots
    .flatMap((s, i) => [check(`GPU ${s.id} video data dir (slots[${i}].video.dataDir)`, s.videoDataDir), check(`GPU ${s.id} TTS data dir (slots[${i}].tts.dataDir)`, s.ttsDataDir)])
    .filter((p): p is DirProblem => p !== null);
}

export class ContainerDirError extends Error {
  constructor(readonly problems: DirProblem[]) {
    super(`Container data dirs are missing (the gateway does not create them):\n${problems.map((p) => `  - ${p.name}: ${p.detail}\n    fix: ${p.fix}`).join('\n')}`);
    this.name = 'ContainerDirError';
  }
}

export function assertContainerDirs(slots: readonly ResolvedSlot[]): void {
  const problems = containerDirProblems(slots);
  if (problems.length) throw new ContainerDirError(problems);
}
