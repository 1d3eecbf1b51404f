/**
 * The line the CLI prints for a long script's HLS stream (docs/segments.md, "Watch while it
 * renders"): open it in a player (VLC, mpv, Safari, ffplay) to watch the parts rendered so far.
 */
export function streamLine(o: { url: string; apiKey?: string }, streamUrl: string, taskId?: string): string {
  // a player sends no headers: with a key, the URL must carry it (`?access_token=`), which the
  // playlist repeats in its segment URIs; the key itself is not printed
  const needsKey = o.apiKey ? '?access_token=<key>' : '';
  return `stream ${taskId ? `${taskId} ` : ''}${o.url.replace(/\/+$/, '')}${streamUrl}${needsKey}  (HLS: watch while it renders)`;
}
