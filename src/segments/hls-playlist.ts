/**
 * The HLS playlist of a long script while it renders (docs/segments.md, "Watch while it
 * renders"). Pure: which parts are listed and how the playlist text reads.
 *
 * A part is listed only once it and every part before it are rendered: a player plays the
 * playlist from the top, so a hole would stop it (or make it skip a sentence). The playlist is
 * of EVENT type — parts are only ever added at its end — and gets `#EXT-X-ENDLIST` once the
 * task is completed, which turns a player's "live" view into an ordinary seekable video.
 */

export interface PlaylistPart {
  /** Exact length of the fitted part: its frames / fps. */
  seconds: number;
  /** Rendered and fitted (its file is on disk). */
  done: boolean;
}

/** How many parts, from the first, are done without a gap. */
export function listedParts(parts: readonly PlaylistPart[]): number {
  const gap = parts.findIndex((p) => !p.done);
  return gap === -1 ? parts.length : gap;
}

/**
 * `#EXT-X-TARGETDURATION` bounds every segment and should not change during an EVENT playlist.
 * It is taken over every part whose length is known, listed or not (a part's speech is known
 * long before it is rendered), so it only grows if a part's speech arrives later than the
 * first render. Not padded to the segment target: players reload a live playlist every half
 * target duration, so a large one would delay the first watchable second.
 */
export function targetDuration(parts: readonly PlaylistPart[]): number {
  return Math.max(1, ...parts.map((p) => Math.ceil(p.seconds - 1e-9)));
}

export interface PlaylistInput {
  /** Every part in script order (`seconds` 0 while its speech is unknown). */
  parts: readonly PlaylistPart[];
  /** The task completed: the playlist is final. */
  ended: boolean;
  /** URI of part k's segment, relative to the playlist. */
  uri: (k: number) => string;
}

export function buildPlaylist(o: PlaylistInput): string {
  const n = listedParts(o.parts);
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    '#EXT-X-PLAYLIST-TYPE:EVENT',
    `#EXT-X-TARGETDURATION:${targetDuration(o.parts)}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-INDEPENDENT-SEGMENTS',
  ];
  for (let k = 0; k < n; k++) lines.push(`#EXTINF:${o.parts[k].seconds.toFixed(6)},`, o.uri(k));
  // only a complete list may end: a completed task has every part done
  if (o.ended && n === o.parts.length) lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}

/** Where part k starts in the script: the sum of the earlier parts' lengths (its segment's timestamps start there). */
export function partOffset(parts: readonly PlaylistPart[], k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += parts[i].seconds;
  return s;
}
