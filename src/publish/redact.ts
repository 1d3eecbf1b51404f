/**
 * Keeping secrets out of logs and status bodies. Two layers: pino redaction of the fields a
 * credential could travel in (for any object someone logs), and scrubbing of the known secret
 * values from free text (provider error messages, which sometimes echo a request).
 */
export const REDACT_PATHS = [
  'accessToken',
  'accessKeyId',
  'secretAccessKey',
  'sessionToken',
  'credentials',
  'authorization',
  'Authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.accessToken',
  '*.accessKeyId',
  '*.secretAccessKey',
  '*.sessionToken',
  '*.credentials',
  '*.authorization',
  '*.Authorization',
  'uploadLink',
  '*.uploadLink',
];

export const REDACTED = '[redacted]';

/** Replace every occurrence of each secret (at least 4 characters, longest first). */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  const list = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  for (const s of list) out = out.split(s).join(REDACTED);
  // Bearer tokens and presigned signatures we did not know about (e.g. echoed by a proxy).
  return out.replace(/(bearer\s+)[\w.~+/-]{8,}=*/gi, `$1${REDACTED}`).replace(/(X-Amz-Signature=)[0-9a-f]+/gi, `$1${REDACTED}`);
}
