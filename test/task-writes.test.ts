/**
 * One writer of task rows (docs/architecture.md, "Who owns what"): outside the stores
 * themselves, only src/tasks/lifecycle.ts calls the TaskStore's row-writing methods. The fact
 * is grep-able on purpose — this test is the grep:
 *   grep -rnP "store\s*\.\s*(create|claimNext|transition|patch|heartbeat|reclaim|setTitle|deleteTasks)\s*\(" src
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const WRITE = /\b\w*store\s*\.\s*(create|claimNext|transition|patch|heartbeat|reclaim|setTitle|deleteTasks)\s*\(/gi;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

function taskRowWriters(root: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of sources(root)) {
    const rel = relative(root, file).split('\\').join('/');
    if (rel.startsWith('store/')) continue; // the adapters and their wrappers implement the port
    const calls = [...readFileSync(file, 'utf8').matchAll(WRITE)].map((m) => m[1]);
    if (calls.length) out.set(rel, [...new Set(calls)].sort());
  }
  return out;
}

describe('task rows', () => {
  it('are written by src/tasks/lifecycle.ts alone', () => {
    const writers = taskRowWriters('src');
    expect([...writers.keys()]).toEqual(['tasks/lifecycle.ts']);
    // every write of the port goes through it (the check reads real calls)
    expect(writers.get('tasks/lifecycle.ts')).toEqual(['claimNext', 'create', 'deleteTasks', 'heartbeat', 'patch', 'reclaim', 'setTitle', 'transition']);
  });
});
