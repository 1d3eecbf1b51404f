/**
 * Watch a long script while it renders: the task's HLS playlist (it grows as parts finish in
 * order) played with hls.js over Media Source Extensions, or natively where the browser plays
 * HLS itself (Safari). hls.js is loaded only when a stream is shown (its own chunk). The task
 * page swaps this for the MP4 once the task completes.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { withToken } from '../lib/api';

export function StreamPlayer({ url, poster }: { url: string; poster?: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    // the token rides in the URL: the playlist repeats it in every segment URI
    const src = withToken(url);
    let closed = false;
    let destroy = () => undefined as void;
    void import('hls.js').then(({ default: Hls }) => {
      if (closed) return;
      if (!Hls.isSupported()) {
        if (video.canPlayType('application/vnd.apple.mpegurl')) video.src = src;
        else setFailed(true);
        return;
      }
      // start at the beginning of the script, not at the "live edge" of what exists so far
      // no worker: the page's CSP allows scripts from 'self' only, not the blob: worker hls.js
      // would make (its segments are small; transmuxing them on the page costs little)
      const hls = new Hls({ startPosition: 0, enableWorker: false });
      hls.on(Hls.Events.ERROR, (_e, data) => {
        if (data.fatal) setFailed(true);
      });
      hls.loadSource(src);
      hls.attachMedia(video);
      destroy = () => hls.destroy();
    }, () => setFailed(true));
    return () => {
      closed = true;
      destroy();
    };
  }, [url]);

  return (
    <>
      <h2 className="sr-only" id="stream-h">{t('task.streaming')}</h2>
      <video className="result" controls playsInline poster={poster} aria-labelledby="stream-h" data-testid="stream-video" ref={ref} />
      <p className="muted small">{failed ? t('task.streamFailed') : t('task.streaming')}</p>
    </>
  );
}
