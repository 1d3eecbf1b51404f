/**
 * Where the gateway keeps its files under dataDir. Every per-task path is built from a
 * validated task id (domain/ids.ts), never from user input, so no request can escape dataDir.
 */
import { join } from 'node:path';

export class DataPaths {
  constructor(readonly root: string) {}
  get uploads(): string {
    return join(this.root, 'uploads');
  }
  get outputs(): string {
    return join(this.root, 'outputs');
  }
  get work(): string {
    return join(this.root, 'work');
  }
  get assets(): string {
    return join(this.root, 'assets');
  }
  /** Speech previews, by content hash (speech-preview/speech-preview.ts). */
  get speechPreviews(): string {
    return join(this.root, 'speech-preview');
  }
  get database(): string {
    return join(this.root, 'gateway.db');
  }
  taskWork(id: string): string {
    return join(this.work, id);
  }
  output(id: string): string {
    return join(this.outputs, `${id}.mp4`);
  }
  /** The generated speech, kept next to the video (the UI plays it; status links it). */
  speech(id: string): string {
    return join(this.outputs, `${id}.wav`);
  }
  upload(id: string, ext: string): string {
    return join(this.uploads, `${id}${ext}`);
  }
}
