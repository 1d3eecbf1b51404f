/**
 * Structural completeness of an MP4: walk the top-level boxes and require that they tile the
 * file exactly and include `moov` and `mdat`. A file still being written (or cut short) has a
 * last box that runs past the end, or no moov yet. ffprobe alone is not enough: for a faststart
 * file the moov sits at the front, so a truncated copy still probes fine.
 */
import { open } from 'node:fs/promises';

export type Mp4Check = { ok: true } | { ok: false; reason: string };

const MAX_BOXES = 10_000;

export async function checkMp4Structure(path: string): Promise<Mp4Check> {
  const fh = await open(path, 'r').catch(() => null);
  if (!fh) return { ok: false, reason: 'file missing' };
  try {
    const size = (await fh.stat()).size;
    const head = Buffer.alloc(16);
    const seen = new Set<string>();
    let off = 0;
    for (let n = 0; off < size && n < MAX_BOXES; n++) {
      const { bytesRead } = await fh.read(head, 0, 16, off);
      if (bytesRead < 8) return { ok: false, reason: 'truncated box header' };
      let boxSize = head.readUInt32BE(0);
      const type = head.toString('latin1', 4, 8);
      if (boxSize === 1) {
        if (bytesRead < 16) return { ok: false, reason: 'truncated box header' };
        boxSize = Number(head.readBigUInt64BE(8));
      } else if (boxSize === 0) {
        return { ok: false, reason: `box ${type} open to end of file (still being written)` };
      }
      if (boxSize < 8) return { ok: false, reason: `bad box size in ${type}` };
      if (off + boxSize > size) return { ok: false, reason: `box ${type} runs past the end (${off + boxSize} > ${size} bytes)` };
      seen.add(type);
      off += boxSize;
    }
    if (off !== size) return { ok: false, reason: 'too many boxes' };
    if (!seen.has('moov')) return { ok: false, reason: 'no moov box (still being written?)' };
    if (!seen.has('mdat')) return { ok: false, reason: 'no mdat box' };
    return { ok: true };
  } finally {
    await fh.close();
  }
}
