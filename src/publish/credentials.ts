/**
 * Credentials for publish targets, from the environment or a JSON file outside the
 * repository — never from the gateway config (which is often committed) and never echoed.
 * Per target `<ID>` (upper case, "-" → "_"):
 *   vimeo: HEYGEM_PUBLISH_<ID>_ACCESS_TOKEN
 *   s3:    HEYGEM_PUBLISH_<ID>_ACCESS_KEY_ID / _SECRET_ACCESS_KEY / _SESSION_TOKEN,
 *          falling back to AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN
 * The file (publish.credentialsFile or HEYGEM_PUBLISH_CREDENTIALS_FILE) holds
 * `{"targets": {"<id>": {"accessToken"} | {"accessKeyId", "secretAccessKey", "sessionToken"?}}}`;
 * the environment wins. See docs/publishing.md.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../config/load.js';

export interface VimeoCredentials {
  kind: 'vimeo';
  accessToken: string;
}
export interface S3Credentials {
  kind: 's3';
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
export type TargetCredentials = VimeoCredentials | S3Credentials;

export interface CredentialTarget {
  id: string;
  type: 'vimeo' | 's3';
  enabled: boolean;
}

export function envPrefix(id: string): string {
  return `HEYGEM_PUBLISH_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;
}

type FileEntry = Partial<Record<'accessToken' | 'accessKeyId' | 'secretAccessKey' | 'sessionToken', string>>;

/** The nearest enclosing directory with a `.git` entry, if any (a checked-out repository). */
function enclosingRepository(path: string): string | null {
  let dir = dirname(resolve(path));
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** Read and check the credentials file: outside any git checkout, not readable by others. */
export function readCredentialsFile(path: string): Record<string, FileEntry> {
  const repo = enclosingRepository(path);
  if (repo) throw new ConfigError([`publish.credentialsFile: ${path} is inside the repository ${repo}; keep secrets outside any checkout`]);
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    throw new ConfigError([`publish.credentialsFile: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  // Like ssh with private keys: a file everyone on the host can read is not a secret any more.
  if (process.platform !== 'win32' && (st.mode & 0o044) !== 0) {
    throw new ConfigError([`publish.credentialsFile: ${path} is readable by group/others; run chmod 600 on it`]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    // Do not include the parser message: it can quote part of the file.
    throw new ConfigError([`publish.credentialsFile: ${path} is not valid JSON`]);
  }
  const targets = (parsed as { targets?: unknown } | null)?.targets;
  if (!targets || typeof targets !== 'object' || Array.isArray(targets)) throw new ConfigError([`publish.credentialsFile: ${path} needs a "targets" object`]);
  return targets as Record<string, FileEntry>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/**
 * Credentials of every enabled target, or ONE ConfigError naming each target that has none
 * (the variable names to set, never values).
 */
export function loadCredentials(targets: readonly CredentialTarget[], env: NodeJS.ProcessEnv, filePath?: string): Map<string, TargetCredentials> {
  const path = filePath ?? str(env.HEYGEM_PUBLISH_CREDENTIALS_FILE);
  const enabled = targets.filter((t) => t.enabled);
  const file = path && enabled.length ? readCredentialsFile(path) : {};
  const out = new Map<string, TargetCredentials>();
  const problems: string[] = [];
  for (const t of enabled) {
    const p = envPrefix(t.id);
    const f: FileEntry = (file[t.id] as FileEntry | undefined) ?? {};
    if (t.type === 'vimeo') {
      const accessToken = str(env[`${p}ACCESS_TOKEN`]) ?? str(f.accessToken);
      if (accessToken) out.set(t.id, { kind: 'vimeo', accessToken });
      else problems.push(`publish target "${t.id}": no Vimeo access token (set ${p}ACCESS_TOKEN or targets.${t.id}.accessToken in the credentials file)`);
    } else {
      const own = str(env[`${p}ACCESS_KEY_ID`]) ?? str(f.accessKeyId);
      const accessKeyId = own ?? str(env.AWS_ACCESS_KEY_ID);
      // Never mix a per-target key id with the global secret (or the reverse).
      const secretAccessKey = own ? (str(env[`${p}SECRET_ACCESS_KEY`]) ?? str(f.secretAccessKey)) : str(env.AWS_SECRET_ACCESS_KEY);
      const sessionToken = own ? (str(env[`${p}SESSION_TOKEN`]) ?? str(f.sessionToken)) : str(env.AWS_SESSION_TOKEN);
      if (accessKeyId && secretAccessKey) out.set(t.id, { kind: 's3', accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) });
      else problems.push(`publish target "${t.id}": no S3 credentials (set ${p}ACCESS_KEY_ID and ${p}SECRET_ACCESS_KEY, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the credentials file)`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return out;
}

/**
 * Every credential value, for scrubbing text (see redact.ts). The S3 access key id is not a
 * secret by itself, but it names the account: an endpoint that echoes the request must not put
 * it into a status body or a log either.
 */
export function secretValues(creds: Map<string, TargetCredentials>): string[] {
  const out: string[] = [];
  for (const c of creds.values()) {
    if (c.kind === 'vimeo') out.push(c.accessToken);
    else out.push(c.accessKeyId, c.secretAccessKey, ...(c.sessionToken ? [c.sessionToken] : []));
  }
  return out;
}
