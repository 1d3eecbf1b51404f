import { execFile } from 'node:child_process';
import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { zipStream } from './zip-writer.js';

const run = promisify(execFile);

/** Python's zipfile reads the central directory and checks every CRC (testzip). */
const PY_CHECK = `
import sys, zipfile, json
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
print(json.dumps({"bad": bad, "entries": [[i.filename, i.file_size, z.read(i.filename)[:20].decode("latin-1")] for i in z.infolist()]}))
`;

async function writeZip(dir: string, files: Array<[string, string | Buffer]>, force = false): Promise<string> {
  const entries = files.map(([name, data], i) => {
    const path = join(dir, `f${i}`);
    writeFileSync(path, data);
    return { name, path };
  });
  const out = join(dir, 'out.zip');
  await pipeline(zipStream(entries, { forceZip64: force }), createWriteStream(out));
  return out;
}

describe('zipStream', () => {
  for (const force of [false, true]) {
    it(`writes an archive python and unzip read, CRCs checked${force ? ' (ZIP64 records)' : ''}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hg-zip-'));
      const big = Buffer.alloc(200_000, 7);
      const out = await writeZip(dir, [['a.mp4', 'hello'], ['dir/ü.mp4', ''], ['big.bin', big], ['missing-later.mp4', 'x']], force);
      const { stdout } = await run('python3', ['-c', PY_CHECK, out]);
      const r = JSON.parse(stdout) as { bad: string | null; entries: Array<[string, number, string]> };
      expect(r.bad).toBeNull();
      expect(r.entries.map((e) => [e[0], e[1]])).toEqual([['a.mp4', 5], ['dir/ü.mp4', 0], ['big.bin', 200_000], ['missing-later.mp4', 1]]);
      expect(r.entries[0][2]).toBe('hello');
      const list = await run('unzip', ['-t', out]);
      expect(list.stdout).toMatch(/No errors detected/);
    });
  }

  it('leaves out a file that no longer exists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-zip-'));
    writeFileSync(join(dir, 'x'), 'x');
    const out = join(dir, 'o.zip');
    await pipeline(zipStream([{ name: 'gone.mp4', path: join(dir, 'nope') }, { name: 'x.mp4', path: join(dir, 'x') }]), createWriteStream(out));
    const { stdout } = await run('python3', ['-c', PY_CHECK, out]);
    expect((JSON.parse(stdout) as { entries: unknown[][] }).entries.map((e) => e[0])).toEqual(['x.mp4']);
  });
});
