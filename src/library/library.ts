/**
 * The avatar and voice library (docs/avatars.md): what a library item is. Pure types.
 * Files are referenced by keys relative to the data dir (`library/avatars/<id>/face.mp4`).
 */
export type LibraryKind = 'avatar' | 'voice';

export interface AvatarData {
  faceKey: string;
  posterKey: string;
  previewKey: string;
  bytes: number;
  durationSec: number;
  width: number | null;
  height: number | null;
  /** The voice extracted from the face video into the library (null: the video had no audio). */
  voiceId: string | null;
  /** The upload was re-encoded to H.264/yuv420p MP4 on registration. */
  transcoded: boolean;
  /** The face check's findings at registration (docs/checks.md); absent on older avatars. */
  faceCheck?: AvatarFaceCheck;
}

/** What an avatar keeps of its face check: the box to draw on the poster and the video's facts. */
export interface AvatarFaceCheck {
  face: { x: number; y: number; w: number; h: number; score: number } | null;
  fps: number;
  width: number;
  height: number;
  rotation: number;
  framesSampled: number;
}

export type VoiceSource = 'audio' | 'video' | 'avatar';

export interface VoiceData {
  /** The reference the TTS gets (the container-normalized one when preprocessing ran). */
  audioKey: string;
  /** The gateway's own copy of the reference as registered (kept either way). */
  originalKey: string;
  /** A few seconds to listen to in the UI. */
  sampleKey: string;
  durationSec: number;
  /** Transcript of the reference, passed to the TTS as `reference_text` (may be empty). */
  referenceText: string;
  source: VoiceSource;
  sourceAvatarId: string | null;
  /** The TTS container's /v1/preprocess_and_tran normalized this reference. */
  preprocessed: boolean;
}

export interface LibraryItem<D = AvatarData | VoiceData> {
  id: string;
  kind: LibraryKind;
  /** API key id that registered it (null when auth is off). */
  owner: string | null;
  /** Visible to every key (set by an admin). */
  shared: boolean;
  name: string;
  /** sha256 of the file the containers get (face video or reference WAV). */
  contentHash: string;
  data: D;
  createdAt: number;
  updatedAt: number;
}

export type Avatar = LibraryItem<AvatarData>;
export type Voice = LibraryItem<VoiceData>;

/** Which library items a task uses (recorded at submit; the task row itself is unchanged). */
export interface TaskLibraryRefs {
  avatarId: string | null;
  voiceId: string | null;
}

/** Library ids: a kind prefix plus a task-style time-ordered id (`av_…`, `vo_…`). */
export const LIBRARY_ID = { avatar: /^av_[0-9a-z]{26}$/, voice: /^vo_[0-9a-z]{26}$/ } as const;
export function isLibraryId(kind: LibraryKind, id: string): boolean {
  return LIBRARY_ID[kind].test(id);
}
