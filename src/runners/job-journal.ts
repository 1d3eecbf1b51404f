/**
 * The runner's own record of the jobs it accepted (one small JSON file per job under
 * `<dataDir>/jobs/`), so a runner that was killed knows after a restart which renders it had
 * in its containers — even when the gateway gave them to another runner meanwhile.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Task } from '../domain/task.js';

export interface JournalEntry {
  job: Task;
  slotId: number;
  renderSubmitted: boolean;
}

export class JobJournal {
  constructor(readonly dir: string) {}

  private file(id: string): string {
    return join(this.dir, `${id.replace(/[^0-9a-z]/g, '')}.json`);
  }

  private async put(e: JournalEntry): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.file(e.job.id)}.${randomBytes(3).toString('hex')}`;
    await writeFile(tmp, JSON.stringify(e));
    await rename(tmp, this.file(e.job.id));
  }

  async write(job: Omit<Task, 'videoPath' | 'referenceAudio' | 'audioPath' | 'outputPath'> & Partial<Task>, slotId: number): Promise<void> {
    await this.put({ job: { videoPath: null, referenceAudio: null, audioPath: null, outputPath: null, ...job } as Task, slotId, renderSubmitted: false });
  }

  async get(id: string): Promise<JournalEntry | null> {
    return readFile(this.file(id), 'utf8').then((t) => JSON.parse(t) as JournalEntry, () => null);
  }

  async update(id: string, change: { renderSubmitted?: boolean; leaseToken?: string | null }): Promise<void> {
    const e = await this.get(id);
    if (!e) return;
    if (change.renderSubmitted !== undefined) e.renderSubmitted = change.renderSubmitted;
    if (change.leaseToken !== undefined) e.job.leaseToken = change.leaseToken;
    await this.put(e);
  }

  async remove(id: string): Promise<void> {
    await rm(this.file(id), { force: true });
  }

  async list(): Promise<JournalEntry[]> {
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json'));
    const all = await Promise.all(names.map((n) => this.get(n.slice(0, -5))));
    return all.filter((e): e is JournalEntry => e !== null);
  }
}
