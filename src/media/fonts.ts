/**
 * The font families fontconfig knows (`fc-list : family`), the same lookup libass makes when it
 * draws burned captions. A caption style naming a family not in this set is refused
 * (`font_not_found`) instead of being drawn silently in a fallback font without Chinese glyphs.
 */
import { runProcess } from './process.js';

/** Family names of `fc-list : family` output, lower-cased (a line may list several, comma-separated). */
export function parseFontFamilies(stdout: string): Set<string> {
  const out = new Set<string>();
  for (const line of stdout.split('\n')) for (const name of line.split(',')) if (name.trim()) out.add(name.trim().toLowerCase());
  return out;
}

export class FontCatalog {
  private families: Promise<Set<string> | null> | null = null;

  constructor(private readonly fcList = 'fc-list') {}

  /** Installed families (read once per process; fonts installed later need a restart); null without fc-list. */
  list(): Promise<Set<string> | null> {
    if (!this.families) {
      this.families = runProcess(this.fcList, [':', 'family'], { timeoutMs: 30_000, maxOutputBytes: 4 * 1024 * 1024 })
        .then((r) => parseFontFamilies(r.stdout))
        .catch(() => null);
    }
    return this.families;
  }

  /** True when installed, or when fontconfig cannot be asked (nothing to check against). */
  async has(family: string): Promise<boolean> {
    const all = await this.list();
    return !all || all.has(family.trim().toLowerCase());
  }
}
