/**
 * The web as people read it aloud: "example dot com slash docs", "jane dot doe plus news at
 * mail dot co dot u k", "report dot p d f". Country-code domains and short file extensions are
 * spelled; the common generic ones are said as words.
 */
import { cardinal, digits } from './numbers.js';

/** Top-level domains that make a bare "name.tld" a web address. */
export const TLDS = [
  'com', 'org', 'net', 'edu', 'gov', 'mil', 'int', 'info', 'biz', 'io', 'ai', 'app', 'dev', 'co', 'me', 'tv', 'ly', 'gg', 'xyz', 'site', 'online', 'tech', 'store', 'blog', 'cloud',
  'us', 'uk', 'de', 'fr', 'it', 'es', 'nl', 'be', 'ch', 'at', 'se', 'no', 'dk', 'fi', 'pl', 'cz', 'pt', 'ie', 'ru', 'ua', 'cn', 'jp', 'kr', 'in', 'au', 'nz', 'ca', 'br', 'mx', 'ar',
  'za', 'ng', 'ke', 'eg', 'sg', 'hk', 'tw', 'il', 'tr', 'gr', 'ro', 'hu', 'eu', 'cc', 'to', 'fm', 'is', 'ms', 'ac',
];
/** Said as words, not spelled. */
const SAID = new Set(['com', 'org', 'net', 'edu', 'gov', 'mil', 'info', 'biz', 'app', 'dev', 'co', 'me', 'xyz', 'site', 'online', 'tech', 'store', 'blog', 'cloud', 'www', 'html', 'htm', 'json', 'yaml', 'yml', 'zip', 'gif', 'jpeg', 'tar', 'docx', 'xlsx', 'pptx', 'java', 'rust', 'go', 'gz']);
const SAID_AS: Record<string, string> = { www: 'w w w', docx: 'doc x', xlsx: 'x l s x', pptx: 'p p t x', jpeg: 'jay peg', yml: 'yaml', gz: 'g z', htm: 'h t m', html: 'h t m l' };
/** File extensions that make "name.ext" a file name. */
export const FILE_EXTENSIONS = [
  'pdf', 'txt', 'csv', 'tsv', 'json', 'yaml', 'yml', 'xml', 'html', 'htm', 'md', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'mp3', 'mp4',
  'wav', 'mov', 'avi', 'mkv', 'zip', 'gz', 'tar', 'exe', 'dmg', 'iso', 'py', 'js', 'ts', 'tsx', 'jsx', 'css', 'c', 'h', 'cpp', 'java', 'rs', 'go', 'rb', 'sh', 'sql', 'log', 'ini', 'cfg', 'toml', 'env', 'lock', 'ipynb',
];

const SEP_WORDS: Record<string, string> = { '.': 'dot', '/': 'slash', ':': 'colon', '?': 'question mark', '=': 'equals', '&': 'and', _: 'underscore', '-': 'dash', '+': 'plus', '#': 'hash', '~': 'tilde', '%': 'percent', '@': 'at' };

/** One label: words stay words, short all-consonant or upper-case chunks are spelled, digits read. */
function label(p: string, spellShort: boolean): string {
  if (p === '') return '';
  const lower = p.toLowerCase();
  if (SAID_AS[lower]) return SAID_AS[lower];
  if (SAID.has(lower)) return lower;
  return p
    .split(/(\d+)/)
    .filter(Boolean)
    .map((chunk) => {
      if (/^\d+$/.test(chunk)) return digits(chunk); // addresses are read digit by digit
      if ((spellShort && chunk.length <= 3) || (chunk.length <= 4 && !/[aeiouy]/i.test(chunk))) return chunk.toLowerCase().split('').join(' ');
      return chunk;
    })
    .join(' ');
}

function speakParts(s: string, lastIsTld: boolean): string {
  const parts = s.split(/([./:?=&_+#~%@-])/);
  const lastWord = parts.length - 1;
  return parts
    .map((p, i) => SEP_WORDS[p] ?? label(p, lastIsTld && i === lastWord && p.length <= 2))
    .filter(Boolean)
    .join(' ');
}

export function speakUrl(url: string): string {
  const clean = url.replace(/^https?:\/\//i, '').replace(/\/$/, '');
  const slash = clean.indexOf('/');
  const host = slash < 0 ? clean : clean.slice(0, slash);
  const path = slash < 0 ? '' : clean.slice(slash);
  const hostSpoken = host
    .split(':')
    .map((h, i) => (i === 0 ? speakParts(h, true) : /^\d+$/.test(h) ? (h.length === 4 ? digits(h) : cardinal(h)) : h))
    .join(' colon ');
  return path ? `${hostSpoken} ${speakParts(path, false)}` : hostSpoken;
}

export function speakEmail(addr: string): string {
  const at = addr.lastIndexOf('@');
  return `${speakParts(addr.slice(0, at), false)} at ${speakParts(addr.slice(at + 1), true)}`;
}

export function speakFile(name: string, ext: string): string {
  const lower = ext.toLowerCase();
  const e = SAID_AS[lower] ?? (SAID.has(lower) ? lower : lower.split('').join(' '));
  return `${speakParts(name, false)} dot ${e}`;
}

/** A path as read aloud: "./build.sh" → "dot slash build dot s h", "~/.bashrc" → "tilde slash dot bashrc". */
export function speakPath(path: string): string {
  const m = /\.([A-Za-z0-9]{1,5})$/.exec(path);
  const ext = m && FILE_EXTENSIONS.includes(m[1].toLowerCase()) ? m[1] : undefined;
  const body = ext ? path.slice(0, -ext.length - 1) : path;
  const spoken = speakParts(body, false);
  return ext ? `${spoken} ${speakFile('', ext).replace(/^\s*/, '')}` : spoken;
}
