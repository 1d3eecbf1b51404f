/**
 * The avatar and voice library (docs/avatars.md): register once, reuse by id.
 *
 * Registration turns an upload (already on disk under a gateway-chosen name) into library files
 * under `library/<kind>s/<id>/` — the face once re-encoded if needed, a poster and a preview,
 * the reference voice and a sample — and one row. Any failure removes every file it made.
 * Tasks name items by id (resolveForTask / attach at submit, inputsForTask in the runner).
 * Container copies are named by content hash and pruned when no item has that hash any more.
 */
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError, TaskError } from '../domain/errors.js';
import { newTaskId } from '../domain/ids.js';
import { FINAL_STATES, TASK_STATES } from '../domain/task.js';
import { SHARED_INPUT } from '../engines/heygem/stage-input.js';
import type { Logger } from '../logger.js';
import type { Media } from '../media/media.js';
import type { TaskStore } from '../store/task-store.js';
import type { TaskInputFiles } from '../runner/ports.js';
import { sha256File } from './file-hash.js';
import type { Avatar, AvatarData, AvatarFaceCheck, LibraryItem, LibraryKind, TaskLibraryRefs, Voice, VoiceData, VoiceSource } from './library.js';
import { isLibraryId } from './library.js';
import { LibraryMedia, needsTranscode } from './library-media.js';
import type { LibraryStore } from './library-store.js';
import { canChangeItem, canSeeItem, visibleTo, type Viewer } from './viewer.js';
import { preprocessVoice, type PreprocessTarget } from './voice-preprocess.js';

export interface LibraryOptions {
  /** The gateway's data dir: every key is relative to it. */
  root: string;
  maxReferenceSeconds: number;
  sampleSeconds: number;
  /** Set when library.preprocessVoices is on (engine heygem): the first slot's TTS. */
  preprocess: PreprocessTarget | null;
  /** This node's container dirs that hold content-hash copies. */
  copyDirs: string[];
  defaults: { avatarId?: string; voiceId?: string };
}

/** What the runner needs of a task's library items (host paths + content hashes). */
/** A task's library inputs as files: the runner's port (runner/ports.ts), which this service implements. */
export type LibraryInputs = TaskInputFiles;

export interface TaskInputRequest {
  avatarId?: string | null;
  voiceId?: string | null;
  /** The request also uploaded a face video. */
  hasUpload: boolean;
}

/**
 * ffmpeg refusing a file that passed the checks is the file's fault (a corrupt stream, an odd
 * codec): the client gets a 400 that says so, not a 500.
 */
function mediaFault(err: unknown): unknown {
  if (err instanceof TaskError && err.code !== 'canceled') return new DomainError('media_unprocessable', 'invalid', `The file could not be processed: ${err.message}`.slice(0, 300));
  return err;
}

const notFound = (kind: LibraryKind, id: string) =>
  new DomainError(`${kind}_not_found`, 'not_found', `No ${kind} with id ${id.slice(0, 40)}`);

export class LibraryService {
  constructor(
    readonly store: LibraryStore,
    private readonly tasks: Pick<TaskStore, 'listInStates'>,
    private readonly media: Media,
    private readonly libMedia: LibraryMedia,
    private readonly o: LibraryOptions,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /** Absolute path of a data-dir key. */
  path(key: string): string {
    return join(this.o.root, key);
  }

  private dirKey(kind: LibraryKind, id: string): string {
    return `library/${kind}s/${id}`;
  }

  /** A staging name for an upload: never anything the client chose. */
  async incomingPath(ext: string): Promise<string> {
    const dir = join(this.o.root, 'library', 'incoming');
    await mkdir(dir, { recursive: true });
    return join(dir, `${newTaskId()}${ext}`);
  }

  // ---- reads ------------------------------------------------------------------------------

  async list(kind: LibraryKind, v: Viewer, limit: number, offset: number): Promise<{ items: LibraryItem[]; total: number }> {
    return this.store.list({ kind, visibleTo: visibleTo(v), limit, offset });
  }

  /** The item if this viewer may see it; 404 otherwise (another key's id looks like no id). */
  async get<K extends LibraryKind>(kind: K, id: string, v: Viewer): Promise<K extends 'avatar' ? Avatar : Voice> {
    const item = isLibraryId(kind, id) ? await this.store.get(id) : undefined;
    if (!item || item.kind !== kind || !canSeeItem(v, item)) throw notFound(kind, id);
    return item as K extends 'avatar' ? Avatar : Voice;
  }

  // ---- registration -----------------------------------------------------------------------

  /**
   * A face video already validated by the route (type, ffprobe, duration, audio unless a voice
   * is named). `upload` is moved or re-encoded into the library; it is gone afterwards either way.
   */
  async registerAvatar(a: { upload: string; name: string; owner: string | null; voiceId?: string | null; viewer: Viewer; signal?: AbortSignal; faceCheck?: AvatarFaceCheck }): Promise<Avatar> {
    const id = `av_${newTaskId()}`;
    const dirKey = this.dirKey('avatar', id);
    const dir = this.path(dirKey);
    let voice: Voice | null = null;
    try {
      const named = a.voiceId ? await this.get('voice', a.voiceId, a.viewer) : null;
      await mkdir(dir, { recursive: true });
      const probe = await this.media.probe(a.upload);
      const faceKey = `${dirKey}/face.mp4`;
      // A rotated upload is re-encoded upright: HeyGem reads pixels, not rotation metadata.
      const transcoded = needsTranscode(probe) || (probe.rotation ?? 0) !== 0;
      if (transcoded) await this.libMedia.transcode(a.upload, this.path(faceKey));
      else await rename(a.upload, this.path(faceKey));
      const face = transcoded ? await this.media.probe(this.path(faceKey)) : probe;
      const [hash, st] = await Promise.all([sha256File(this.path(faceKey)), stat(this.path(faceKey))]);
      // Either one failing stops the other: no ffmpeg outlives the answer.
      const stop = new AbortController();
      const abortOnFailure = <T>(p: Promise<T>) => p.catch((err: unknown) => { stop.abort(); throw err; });
      const onClientGone = () => stop.abort();
      a.signal?.addEventListener('abort', onClientGone, { once: true });
      try {
        await Promise.all([
          abortOnFailure(this.libMedia.poster(this.path(faceKey), this.path(`${dirKey}/poster.jpg`), face, stop.signal)),
          abortOnFailure(this.libMedia.preview(this.path(faceKey), this.path(`${dirKey}/preview.webp`), stop.signal)),
        ]);
      } finally {
        a.signal?.removeEventListener('abort', onClientGone);
      }
      if (!named && face.hasAudio) {
        voice = await this.buildVoice({ source: this.path(faceKey), name: `${a.name} (voice)`, owner: a.owner, referenceText: '', kind: 'avatar', sourceAvatarId: id });
      }
      const t = this.now();
      const data: AvatarData = {
        faceKey,
        posterKey: `${dirKey}/poster.jpg`,
        previewKey: `${dirKey}/preview.webp`,
        bytes: st.size,
        durationSec: face.durationSec,
        width: face.width ?? null,
        height: face.height ?? null,
        voiceId: named?.id ?? voice?.id ?? null,
        transcoded,
        ...(a.faceCheck ? { faceCheck: a.faceCheck } : {}),
      };
      const avatar: Avatar = { id, kind: 'avatar', owner: a.owner, shared: false, name: a.name, contentHash: hash, data, createdAt: t, updatedAt: t };
      if (voice) await this.store.insert(voice);
      await this.store.insert(avatar);
      return avatar;
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      if (voice) {
        await this.store.delete(voice.id).catch(() => undefined);
        await rm(this.path(this.dirKey('voice', voice.id)), { recursive: true, force: true });
      }
      throw mediaFault(err);
    } finally {
      await rm(a.upload, { force: true });
    }
  }

  /** A voice from an uploaded audio or video file (`upload`, removed afterwards) or from an avatar. */
  async registerVoice(r: { upload?: string; avatarId?: string; name: string; referenceText: string; owner: string | null; viewer: Viewer }): Promise<Voice> {
    try {
      let source: string;
      if (r.avatarId) source = this.path((await this.get('avatar', r.avatarId, r.viewer)).data.faceKey);
      else source = r.upload!;
      const probe = await this.media.probe(source).catch(() => null);
      if (!probe?.hasAudio) throw new DomainError('audio_missing', 'invalid', `The ${r.avatarId ? 'avatar\'s video' : 'file'} has no readable audio track`);
      if (probe.durationSec < 1) throw new DomainError('audio_too_short', 'invalid', 'The voice sample is shorter than 1 s');
      const kind: VoiceSource = r.avatarId ? 'avatar' : probe.hasVideo ? 'video' : 'audio';
      const voice = await this.buildVoice({ source, name: r.name, owner: r.owner, referenceText: r.referenceText, kind, sourceAvatarId: r.avatarId ?? null });
      try {
        await this.store.insert(voice);
      } catch (err) {
        await rm(this.path(this.dirKey('voice', voice.id)), { recursive: true, force: true });
        throw err;
      }
      return voice;
    } catch (err) {
      throw mediaFault(err);
    } finally {
      if (r.upload) await rm(r.upload, { force: true });
    }
  }

  /** Files of a new voice (not yet stored): reference WAV, sample, optional preprocessing. */
  private async buildVoice(v: { source: string; name: string; owner: string | null; referenceText: string; kind: VoiceSource; sourceAvatarId: string | null }): Promise<Voice> {
    const id = `vo_${newTaskId()}`;
    const dirKey = this.dirKey('voice', id);
    await mkdir(this.path(dirKey), { recursive: true });
    try {
      const originalKey = `${dirKey}/reference.wav`;
      const sampleKey = `${dirKey}/sample.wav`;
      await this.media.extractAudio(v.source, this.path(originalKey), { maxSeconds: this.o.maxReferenceSeconds });
      await this.media.extractAudio(v.source, this.path(sampleKey), { maxSeconds: this.o.sampleSeconds });
      let audioKey = originalKey;
      let referenceText = v.referenceText;
      let preprocessed = false;
      if (this.o.preprocess) {
        const normalizedKey = `${dirKey}/normalized.wav`;
        const out = await preprocessVoice(this.o.preprocess, this.path(originalKey), this.path(normalizedKey));
        if (out.normalized) audioKey = normalizedKey;
        if (!referenceText) referenceText = out.text;
        preprocessed = true;
      }
      const [hash, durationSec] = await Promise.all([sha256File(this.path(audioKey)), this.media.duration(this.path(audioKey))]);
      const t = this.now();
      const data: VoiceData = { audioKey, originalKey, sampleKey, durationSec, referenceText, source: v.kind, sourceAvatarId: v.sourceAvatarId, preprocessed };
      return { id, kind: 'voice', owner: v.owner, shared: false, name: v.name, contentHash: hash, data, createdAt: t, updatedAt: t };
    } catch (err) {
      await rm(this.path(dirKey), { recursive: true, force: true });
      throw err;
    }
  }

  // ---- changes ----------------------------------------------------------------------------

  async update(kind: LibraryKind, id: string, v: Viewer, p: { name?: string; shared?: boolean; referenceText?: string }): Promise<LibraryItem> {
    const item = await this.get(kind, id, v);
    if (!canChangeItem(v, item)) throw new DomainError('forbidden', 'forbidden', `This ${kind} belongs to another API key`);
    if (p.shared !== undefined && !v.admin) throw new DomainError('forbidden', 'forbidden', 'Only an admin key marks items shared');
    const data = kind === 'voice' && p.referenceText !== undefined ? { ...(item.data as VoiceData), referenceText: p.referenceText } : undefined;
    const next = await this.store.update(id, { name: p.name, shared: p.shared, data }, this.now());
    if (!next) throw notFound(kind, id);
    return next;
  }

  /**
   * Refused (409) while a queued or running task uses the item; its files and copies go with it.
   * An avatar takes its own voice with it — the `"<name> (voice)"` made from its video — so no
   * orphan is left in the voice list; a voice uploaded on its own is never touched. Answers the
   * ids deleted.
   */
  async delete(kind: LibraryKind, id: string, v: Viewer): Promise<string[]> {
    const item = await this.get(kind, id, v);
    if (!canChangeItem(v, item)) throw new DomainError('forbidden', 'forbidden', `This ${kind} belongs to another API key`);
    const own = kind === 'avatar' ? await this.ownVoiceOf(item as Avatar) : null;
    const live = (await this.tasks.listInStates(TASK_STATES.filter((s) => !FINAL_STATES.has(s)))).map((t) => t.id);
    for (const [k, itemId] of [[kind, id], ...(own ? [['voice', own.id] as const] : [])] as Array<[LibraryKind, string]>) {
      const users = await this.store.usersAmong(itemId, live);
      if (users.length) {
        throw new DomainError(`${k}_in_use`, 'conflict', `${users.length} unfinished task(s) use this ${k}; delete it when they have ended`, { task_ids: users.slice(0, 20) });
      }
    }
    const gone = [id, ...(own ? [own.id] : [])];
    for (const [k, itemId] of [[kind, id], ...(own ? [['voice', own.id] as const] : [])] as Array<[LibraryKind, string]>) {
      await this.store.delete(itemId);
      await rm(this.path(this.dirKey(k, itemId)), { recursive: true, force: true });
    }
    await this.pruneCopies();
    return gone;
  }

  /** The voice made from this avatar's video at upload (none when it was given one, or it is gone). */
  private async ownVoiceOf(a: Avatar): Promise<Voice | null> {
    const voice = a.data.voiceId ? await this.store.get(a.data.voiceId) : undefined;
    return voice?.kind === 'voice' && (voice as Voice).data.sourceAvatarId === a.id && (voice as Voice).data.source === 'avatar' ? (voice as Voice) : null;
  }

  // ---- tasks ------------------------------------------------------------------------------

  /**
   * The library items a new task uses, checked against what the caller may see: the ids asked
   * for, else the deployment defaults (defaults.avatarId / defaults.voiceId) where the request
   * brings no face or voice of its own. An upload and avatar_id together are a 400. Exported
   * for other submit paths (batches): see resolveLibraryInputs.
   */
  async resolveForTask(v: Viewer, r: TaskInputRequest): Promise<TaskLibraryRefs> {
    if (r.hasUpload && r.avatarId) throw new DomainError('avatar_conflict', 'invalid', 'Send either a video upload or avatar_id, not both');
    const avatar = r.avatarId ? await this.get('avatar', r.avatarId, v) : !r.hasUpload ? ((await this.defaultItem('avatar')) as Avatar | null) : null;
    const voice = r.voiceId ? await this.get('voice', r.voiceId, v) : null;
    // The avatar's own voice, unless that voice was deleted from the library meanwhile.
    const own = !voice && avatar?.data.voiceId ? await this.store.get(avatar.data.voiceId) : undefined;
    let voiceId = voice?.id ?? own?.id ?? null;
    // With neither an uploaded video's sound nor the avatar's own voice: the default voice.
    if (!voiceId && !r.hasUpload) voiceId = (await this.defaultItem('voice'))?.id ?? null;
    return { avatarId: avatar?.id ?? null, voiceId };
  }

  /**
   * The voice a speech preview speaks in: the one a task with these ids would use (the voice,
   * else the avatar's own, else the default); null = the slot's bundled reference.
   */
  async voiceFor(v: Viewer, r: { avatarId: string | null; voiceId: string | null }): Promise<LibraryInputs['voice']> {
    const refs = await this.resolveForTask(v, { ...r, hasUpload: false });
    const voice = refs.voiceId ? await this.store.get(refs.voiceId) : undefined;
    if (!voice || voice.kind !== 'voice') return null;
    return { path: this.path((voice as Voice).data.audioKey), hash: voice.contentHash, text: (voice as Voice).data.referenceText };
  }

  /** A default voice will speak for an upload without sound (so such an upload is accepted). */
  get hasDefaultVoice(): boolean {
    return !!this.o.defaults.voiceId;
  }

  async defaultVoiceId(): Promise<string | null> {
    return (await this.defaultItem('voice'))?.id ?? null;
  }

  private async defaultItem(kind: LibraryKind): Promise<LibraryItem | null> {
    const id = kind === 'avatar' ? this.o.defaults.avatarId : this.o.defaults.voiceId;
    if (!id) return null;
    const item = await this.store.get(id);
    if (item?.kind === kind) return item;
    this.log.warn({ id }, `defaults.${kind}Id names no ${kind} in the library; using the bundled one`);
    return null;
  }

  async attach(taskId: string, refs: TaskLibraryRefs): Promise<void> {
    if (refs.avatarId || refs.voiceId) await this.store.attachTask(taskId, refs, this.now());
  }

  /** For the runner: host paths and hashes of the task's items; a deleted item fails the task. */
  async inputsForTask(taskId: string): Promise<LibraryInputs | null> {
    const refs = await this.store.taskRefs(taskId);
    if (!refs) return null;
    const item = async (kind: LibraryKind, id: string | null) => {
      if (!id) return null;
      const it = await this.store.get(id);
      if (!it) throw new TaskError('input_invalid', `The ${kind} ${id} was deleted from the library`);
      return it;
    };
    const [avatar, voice] = [(await item('avatar', refs.avatarId)) as Avatar | null, (await item('voice', refs.voiceId)) as Voice | null];
    return {
      face: avatar ? { path: this.path(avatar.data.faceKey), hash: avatar.contentHash } : null,
      voice: voice ? { path: this.path(voice.data.audioKey), hash: voice.contentHash, text: voice.data.referenceText } : null,
    };
  }

  /** The names of a task's avatar and voice, for people (null: none, or deleted since). */
  async namesForTask(taskId: string): Promise<{ avatar: { id: string; name: string } | null; voice: { id: string; name: string } | null }> {
    const refs = await this.store.taskRefs(taskId);
    const named = async (id: string | null | undefined) => {
      const it = id ? await this.store.get(id) : undefined;
      return it ? { id: it.id, name: it.name } : null;
    };
    return { avatar: await named(refs?.avatarId), voice: await named(refs?.voiceId) };
  }

  /**
   * Avatar ids of tasks that use one still in the library (the task list shows their posters; a
   * deleted avatar's poster went with it, so its tasks show none rather than a broken image).
   */
  async avatarsOf(taskIds: readonly string[]): Promise<Map<string, string>> {
    const found = taskIds.length ? await this.store.avatarsOf(taskIds) : new Map<string, string>();
    const kept = new Map<string, boolean>();
    for (const id of new Set(found.values())) kept.set(id, (await this.store.get(id)) !== undefined);
    for (const [task, id] of found) if (!kept.get(id)) found.delete(task);
    return found;
  }

  // ---- container copies -------------------------------------------------------------------

  /** Uploads of requests that died with the previous process (none is in flight before listening). */
  async clearIncoming(): Promise<void> {
    await rm(join(this.o.root, 'library', 'incoming'), { recursive: true, force: true });
  }

  /** Remove content-hash copies in this node's container dirs that no library item has. */
  async pruneCopies(): Promise<number> {
    if (!this.o.copyDirs.length) return 0;
    const live = new Set(await this.store.contentHashes());
    let removed = 0;
    for (const dir of this.o.copyDirs) {
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        const m = SHARED_INPUT.exec(name);
        if (!m || live.has(m[1])) continue;
        await rm(join(dir, name), { force: true }).then(
          () => removed++,
          (err: unknown) => this.log.warn({ err, dir, name }, 'could not remove a library copy'),
        );
      }
    }
    return removed;
  }
}

