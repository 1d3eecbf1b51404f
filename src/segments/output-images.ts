/**
 * Images uploaded for output options (docs/output.md): backgrounds and watermarks. Kept by
 * content hash under `<dataDir>/output-images/` (`img_` + the first 32 hex of the SHA-256, so the
 * same picture uploaded twice is one file); a PNG or JPEG of at most 10 MB and 8192 px a side,
 * read back by ffprobe before it is kept. Like speech previews they are not bound to a key:
 * whoever knows an id can use it in a task.
 */
import { createHash } from 'node:crypto';
import { access, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '../domain/errors.js';
import { IMAGE_ID } from '../domain/output-options.js';
import { runProcess } from '../media/process.js';

export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
const MAX_SIDE = 8192;
/** A file given by path as one picture: no pattern, no protocol but the file. */
const IMAGE_INPUT = ['-f', 'image2', '-pattern_type', 'none', '-protocol_whitelist', 'file'];

export interface StoredImage {
  id: string;
  width: number;
  height: number;
  format: 'png' | 'jpeg';
  bytes: number;
}

function formatOf(b: Buffer): 'png' | 'jpeg' | null {
  if (b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  return null;
}

export class OutputImages {
  constructor(
    private readonly dir: string,
    private readonly ffprobe = 'ffprobe',
    private readonly ffmpeg = 'ffmpeg',
  ) {}

  /** The file of an image id (the id is checked against its pattern: no path from a request). */
  pathOf(id: string): string {
    if (!IMAGE_ID.test(id)) throw new DomainError('output_invalid', 'invalid', 'Not an image id');
    return join(this.dir, `${id}.png`);
  }

  async exists(id: string): Promise<boolean> {
    if (!IMAGE_ID.test(id)) return false;
    return access(this.pathOf(id)).then(
      () => true,
      () => false,
    );
  }

  /** Keep an uploaded file (moved, or removed when refused). */
  async keep(upload: string): Promise<StoredImage> {
    try {
      const bytes = await readFile(upload);
      if (bytes.length > MAX_IMAGE_BYTES) throw new DomainError('image_too_large', 'too_large', `Images are limited to ${MAX_IMAGE_BYTES / 1024 / 1024} MB`);
      const format = formatOf(bytes);
      if (!format) throw new DomainError('image_invalid', 'invalid', 'Send a PNG or JPEG image');
      const { stdout } = await runProcess(this.ffprobe, ['-v', 'error', ...IMAGE_INPUT, '-show_entries', 'stream=width,height', '-of', 'json', upload], { timeoutMs: 30_000 }).catch(() => ({ stdout: '{}' }));
      const s = (JSON.parse(stdout) as { streams?: Array<{ width?: number; height?: number }> }).streams?.[0];
      const width = s?.width ?? 0;
      const height = s?.height ?? 0;
      if (!(width > 0 && height > 0)) throw new DomainError('image_invalid', 'invalid', 'The image cannot be read');
      if (width > MAX_SIDE || height > MAX_SIDE) throw new DomainError('image_too_large', 'too_large', `Images are limited to ${MAX_SIDE} px a side`);
      const id = `img_${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}`;
      await mkdir(this.dir, { recursive: true });
      // kept as PNG whatever was sent: one decoder for the output pass, no metadata carried along
      const tmp = `${this.pathOf(id)}.${process.pid}.tmp.png`;
      await runProcess(this.ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...IMAGE_INPUT, '-i', upload, '-frames:v', '1', '-f', 'image2', '-c:v', 'png', tmp], { timeoutMs: 60_000 })
        .then(() => rename(tmp, this.pathOf(id)))
        .catch(async () => {
          await rm(tmp, { force: true });
          throw new DomainError('image_invalid', 'invalid', 'The image cannot be read');
        });
      return { id, width, height, format, bytes: bytes.length };
    } finally {
      await rm(upload, { force: true });
    }
  }
}
