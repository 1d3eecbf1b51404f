/**
 * The length of a chosen media file, read by the browser from the file's header (a detached
 * <video> on an object URL), so a face video over the server's limit is refused before its
 * upload. null when the browser cannot tell (a codec it does not play): the server still checks.
 */
export function mediaLength(file: Blob): Promise<number | null> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const v = document.createElement('video');
    const done = (seconds: number | null) => {
      v.removeAttribute('src');
      v.load();
      URL.revokeObjectURL(url);
      resolve(seconds);
    };
    v.preload = 'metadata';
    v.muted = true;
    v.onloadedmetadata = () => done(Number.isFinite(v.duration) ? v.duration : null);
    v.onerror = () => done(null);
    v.src = url;
  });
}
