/**
 * The library for a deployment: its store next to the task store (the SQLite file, or the
 * shared PostgreSQL pool), the container dirs that hold content-hash copies on this node, and
 * the TTS used to preprocess voices when library.preprocessVoices is on.
 */
import type pg from 'pg';
import type { GatewayConfig } from '../config/load.js';
import type { Logger } from '../logger.js';
import type { Media } from '../media/media.js';
import type { Clock } from '../tasks/clock.js';
import type { DataPaths } from '../runner/data-paths.js';
import type { TaskStore } from '../store/task-store.js';
import { LibraryMedia } from './library-media.js';
import { LibraryService } from './library.service.js';
import { PostgresLibraryStore } from './library-store.postgres.js';
import { SqliteLibraryStore } from './library-store.sqlite.js';

export async function createLibrary(
  config: GatewayConfig,
  d: { store: TaskStore; paths: DataPaths; media: Media; clock: Clock; log: Logger; pgPool?: pg.Pool },
): Promise<LibraryService> {
  const libStore = d.pgPool ? new PostgresLibraryStore(d.pgPool) : new SqliteLibraryStore(d.paths.database);
  const heygem = config.engine === 'heygem';
  const first = config.slots[0];
  const preprocess =
    heygem && config.library.preprocessVoices && first
      ? { url: first.ttsUrl, hostDataDir: first.ttsDataDir, containerDataDir: first.ttsContainerDataDir, timeoutMs: config.heygem.ttsTimeoutMs, lang: config.library.preprocessLang }
      : null;
  const copyDirs = heygem ? config.slots.flatMap((s) => [`${s.videoDataDir}/temp`, `${s.ttsDataDir}/reference`]) : [];
  const library = new LibraryService(
    libStore,
    d.store,
    d.media,
    new LibraryMedia({ ffmpegPath: config.media.ffmpeg, timeoutMs: config.media.timeoutMs }),
    {
      root: d.paths.root,
      maxReferenceSeconds: config.limits.maxReferenceSeconds,
      sampleSeconds: config.library.sampleSeconds,
      preprocess,
      copyDirs,
      defaults: config.defaults,
    },
    d.log,
    () => d.clock.now(),
  );
  await library.clearIncoming();
  // Copies of items deleted while this node was down.
  void library.pruneCopies().catch((err: unknown) => d.log.warn({ err }, 'could not prune library copies'));
  return library;
}
