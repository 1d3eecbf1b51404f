/**
 * The guides part of the corpus (corpus/guides.ts): pass rates of its tuning and held-out
 * shares, per batch; with --show, the failing tuning cases (held-out cases are never shown).
 * Usage: npx tsx bench/text-guides-check.ts [--show]
 */
import { CORPUS, speechMatches } from '../test/text-corpus/corpus.js';
import { normalizeForSpeech } from '../src/text/index.js';

const guides = CORPUS.filter((c) => c.category.startsWith('guides/')).map((c) => ({ c, got: normalizeForSpeech(c.input).text }));
const res = guides.map((r) => ({ ...r, ok: speechMatches(r.got, r.c.expected), batch: r.c.category.endsWith('-2') ? 2 : 1 }));
const rate = (rs: typeof res) => `${rs.filter((r) => r.ok).length}/${rs.length}`;
for (const b of [1, 2]) {
  const inBatch = res.filter((r) => r.batch === b);
  console.log(`guides batch ${b}: tuning ${rate(inBatch.filter((r) => !r.c.heldOut))}; held out ${rate(inBatch.filter((r) => r.c.heldOut))}`);
}
console.log(`guides all: tuning ${rate(res.filter((r) => !r.c.heldOut))}; held out ${rate(res.filter((r) => r.c.heldOut))}`);
if (process.argv.includes('--show')) for (const r of res) if (!r.ok && !r.c.heldOut) console.log(`[${r.c.category}] ${JSON.stringify(r.c.input)}\n   got  ${r.got}\n   want ${JSON.stringify(r.c.expected)}`);
