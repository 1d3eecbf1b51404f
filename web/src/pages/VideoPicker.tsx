/**
 * Optional face video: file picker (keyboard) or drag-and-drop onto the zone, checked here by
 * type, size and length against /api/info's limits (the server checks the content again), with a
 * preview frame of the chosen file.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkVideoFile, checkVideoLength, formatBytes, formatSeconds } from '../lib/format';
import { gatewayInfo } from '../lib/info';
import { mediaLength } from '../lib/mediaLength';
import type { InfoView } from '../lib/types';

const ACCEPT = 'video/mp4,video/quicktime,video/x-matroska,video/x-msvideo,.mp4,.mov,.mkv,.avi';
const FALLBACK_FORMATS = ['mp4', 'avi', 'mov', 'mkv'];

export function VideoPicker(props: { info: InfoView | null; file: File | null; error?: string; onChange: (f: File | null, problem: string | null) => void }) {
  const { info, file, error, onChange } = props;
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [drag, setDrag] = useState(false);
  const [thumb, setThumb] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  // the file whose length is being read: a later choice wins over an earlier one still reading
  const choosing = useRef<File | null>(null);

  useEffect(() => {
    if (!file) return setThumb(null);
    const url = URL.createObjectURL(file);
    setThumb(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const refuse = (problem: string) => {
    if (input.current) input.current.value = '';
    onChange(null, problem);
  };
  const choose = async (f: File | undefined) => {
    if (!f) return;
    choosing.current = f;
    const formats = info?.limits.video_formats ?? FALLBACK_FORMATS;
    const problem = checkVideoFile(f, formats, info?.limits.max_upload_bytes ?? Infinity, t, lng);
    if (problem) return refuse(problem);
    // taken at once (a quick submit still sends it; the server checks the length too), then
    // dropped again if its header says it is too long and no other file was chosen meanwhile
    onChange(f, null);
    // awaited, not read from `info`: a file chosen before /api/info answered is checked too
    const maxSeconds = (await gatewayInfo().catch(() => null))?.limits.max_video_seconds;
    if (!maxSeconds) return;
    const tooLong = checkVideoLength(await mediaLength(f), maxSeconds, t, lng);
    if (tooLong && choosing.current === f) refuse(tooLong);
  };
  const clear = () => {
    if (input.current) input.current.value = '';
    onChange(null, null);
  };

  const limits = !info
    ? ''
    : info.limits.max_video_seconds
      ? t('video.limitsSeconds', { formats: info.limits.video_formats.join(', '), size: formatBytes(info.limits.max_upload_bytes, lng), seconds: formatSeconds(info.limits.max_video_seconds, lng) })
      : t('video.limits', { formats: info.limits.video_formats.join(', '), size: formatBytes(info.limits.max_upload_bytes, lng) });
  return (
    <>
      <label htmlFor="video">{limits ? t('video.labelLimits', { limits }) : t('video.label')}</label>
      <div
        className={`drop${drag ? ' over' : ''}${error ? ' invalid' : ''}`}
        data-testid="drop"
        onDragOver={(e) => {
          e.preventDefault();
          setDrag(true);
        }}
        onDragLeave={() => setDrag(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDrag(false);
          void choose(e.dataTransfer.files[0]);
        }}
      >
        <input id="video" ref={input} type="file" accept={ACCEPT} onChange={(e) => void choose(e.target.files?.[0])} aria-describedby={error ? 'video-error' : undefined} aria-invalid={!!error} />
        <span className="muted small">{t('video.drop')}</span>
        {file && (
          <div className="thumb">
            {/* #t=0.1 makes the browser decode and show a frame instead of a black box */}
            {thumb && <video src={`${thumb}#t=0.1`} muted preload="metadata" playsInline aria-label={t('video.preview')} data-testid="thumb" />}
            <span>{file.name} · {formatBytes(file.size, lng)}</span>
            <button type="button" className="ghost" onClick={clear}>{t('common.remove')}</button>
          </div>
        )}
      </div>
      {error && <p id="video-error" className="error" role="alert">{error}</p>}
    </>
  );
}
