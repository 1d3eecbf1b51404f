/**
 * A streaming ZIP writer: stored (uncompressed — MP4s do not compress) entries, each followed
 * by a data descriptor with its CRC-32, computed while the file streams through; ZIP64 records
 * when an entry, an offset or the entry count passes the 32-bit / 16-bit fields. Memory is one
 * file chunk plus the central directory (~100 bytes an entry), never the archive.
 * Format: PKWARE APPNOTE 6.3.x, sections 4.3.7–4.3.16 and 4.5.3.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';

export type ZipEntry = {
  /** Name inside the archive (UTF-8, `/` separators). */
  name: string;
} & (
  | {
      /** File to read the entry's bytes from. */
      path: string;
    }
  /** Small generated content (a manifest, captions), held in memory. */
  | { data: Buffer }
);

/** The entry's bytes as chunks, and its size; null when its file is gone. */
async function contentOf(e: ZipEntry): Promise<{ size: number; chunks: AsyncIterable<Buffer> | Buffer[] } | null> {
  if ('data' in e) return { size: e.data.length, chunks: [e.data] };
  // A file removed since the listing (retention) is left out rather than breaking the archive.
  const st = await stat(e.path).catch(() => null);
  return st?.isFile() ? { size: st.size, chunks: createReadStream(e.path) } : null;
}

export interface ZipOptions {
  /** Write ZIP64 records even when nothing needs them (tests of the ZIP64 path). */
  forceZip64?: boolean;
}

const U32 = 0xffffffff;
const U16 = 0xffff;
const FLAGS = 0x0008 | 0x0800; // bit 3: sizes in the data descriptor; bit 11: UTF-8 names

interface Written {
  name: Buffer;
  crc: number;
  size: number;
  offset: number;
  zip64: boolean;
}

/** DOS date/time of `d` (local fields, as unzip tools show them). */
function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((Math.max(1980, d.getFullYear()) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

function u64(buf: Buffer, value: number, at: number): void {
  buf.writeBigUInt64LE(BigInt(value), at);
}

function localHeader(name: Buffer, zip64: boolean, t: { time: number; date: number }): Buffer {
  // With bit 3 the header's CRC and sizes are zero; a ZIP64 entry announces itself with a
  // zip64 extra field (sizes zero too) so readers expect 8-byte descriptor sizes.
  const extra = zip64 ? 20 : 0;
  const h = Buffer.alloc(30 + name.length + extra);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(zip64 ? 45 : 20, 4);
  h.writeUInt16LE(FLAGS, 6);
  h.writeUInt16LE(0, 8); // stored
  h.writeUInt16LE(t.time, 10);
  h.writeUInt16LE(t.date, 12);
  h.writeUInt32LE(0, 14);
  h.writeUInt32LE(zip64 ? U32 : 0, 18);
  h.writeUInt32LE(zip64 ? U32 : 0, 22);
  h.writeUInt16LE(name.length, 26);
  h.writeUInt16LE(extra, 28);
  name.copy(h, 30);
  if (zip64) {
    h.writeUInt16LE(0x0001, 30 + name.length);
    h.writeUInt16LE(16, 32 + name.length); // original + compressed size, both 0 here
  }
  return h;
}

function dataDescriptor(w: Written): Buffer {
  const d = Buffer.alloc(w.zip64 ? 24 : 16);
  d.writeUInt32LE(0x08074b50, 0);
  d.writeUInt32LE(w.crc >>> 0, 4);
  if (w.zip64) {
    u64(d, w.size, 8);
    u64(d, w.size, 16);
  } else {
    d.writeUInt32LE(w.size, 8);
    d.writeUInt32LE(w.size, 12);
  }
  return d;
}

function centralHeader(w: Written, t: { time: number; date: number }): Buffer {
  const extra = w.zip64 ? 28 : 0;
  const c = Buffer.alloc(46 + w.name.length + extra);
  c.writeUInt32LE(0x02014b50, 0);
  c.writeUInt16LE((3 << 8) | 45, 4); // made by: Unix, spec 4.5
  c.writeUInt16LE(w.zip64 ? 45 : 20, 6);
  c.writeUInt16LE(FLAGS, 8);
  c.writeUInt16LE(0, 10);
  c.writeUInt16LE(t.time, 12);
  c.writeUInt16LE(t.date, 14);
  c.writeUInt32LE(w.crc >>> 0, 16);
  c.writeUInt32LE(w.zip64 ? U32 : w.size, 20);
  c.writeUInt32LE(w.zip64 ? U32 : w.size, 24);
  c.writeUInt16LE(w.name.length, 28);
  c.writeUInt16LE(extra, 30);
  c.writeUInt16LE(0, 32); // comment
  c.writeUInt16LE(0, 34); // disk
  c.writeUInt16LE(0, 36); // internal attributes
  c.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external: regular file, rw-r--r--
  c.writeUInt32LE(w.zip64 ? U32 : w.offset, 42);
  w.name.copy(c, 46);
  if (w.zip64) {
    const at = 46 + w.name.length;
    c.writeUInt16LE(0x0001, at);
    c.writeUInt16LE(24, at + 2);
    u64(c, w.size, at + 4);
    u64(c, w.size, at + 12);
    u64(c, w.offset, at + 20);
  }
  return c;
}

function endRecords(count: number, cdOffset: number, cdSize: number, force: boolean): Buffer {
  const zip64 = force || count >= U16 || cdOffset >= U32 || cdSize >= U32;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(zip64 ? U16 : count, 8);
  eocd.writeUInt16LE(zip64 ? U16 : count, 10);
  eocd.writeUInt32LE(zip64 ? U32 : cdSize, 12);
  eocd.writeUInt32LE(zip64 ? U32 : cdOffset, 16);
  if (!zip64) return eocd;
  const rec = Buffer.alloc(56);
  rec.writeUInt32LE(0x06064b50, 0);
  u64(rec, 44, 4); // size of the rest of this record
  rec.writeUInt16LE((3 << 8) | 45, 12);
  rec.writeUInt16LE(45, 14);
  u64(rec, count, 24);
  u64(rec, count, 32);
  u64(rec, cdSize, 40);
  u64(rec, cdOffset, 48);
  const loc = Buffer.alloc(20);
  loc.writeUInt32LE(0x07064b50, 0);
  u64(loc, cdOffset + cdSize, 8); // where the zip64 end record starts
  loc.writeUInt32LE(1, 16); // disks
  return Buffer.concat([rec, loc, eocd]);
}

async function* zipChunks(entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>, o: ZipOptions, now: Date): AsyncGenerator<Buffer> {
  const t = dosTime(now);
  const written: Written[] = [];
  let offset = 0;
  for await (const e of entries) {
    const content = await contentOf(e);
    if (!content) continue;
    const name = Buffer.from(e.name, 'utf8');
    // ZIP64 is decided before the header is written: the entry's size is known from stat.
    const w: Written = { name, crc: 0, size: 0, offset, zip64: Boolean(o.forceZip64) || offset >= U32 || content.size >= U32 };
    const head = localHeader(name, w.zip64, t);
    yield head;
    offset += head.length;
    for await (const chunk of content.chunks) {
      const b = chunk as Buffer;
      w.crc = crc32(b, w.crc);
      w.size += b.length;
      offset += b.length;
      yield b;
    }
    const desc = dataDescriptor(w);
    yield desc;
    offset += desc.length;
    written.push(w);
  }
  const cdOffset = offset;
  let cdSize = 0;
  for (const w of written) {
    const c = centralHeader(w, t);
    cdSize += c.length;
    yield c;
  }
  yield endRecords(written.length, cdOffset, cdSize, Boolean(o.forceZip64));
}

/** The archive as a stream; it pulls one file at a time as the consumer reads. */
export function zipStream(entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>, o: ZipOptions = {}, now = new Date()): Readable {
  return Readable.from(zipChunks(entries, o, now), { objectMode: false });
}
