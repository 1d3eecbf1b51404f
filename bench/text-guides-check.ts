import { CORPUS, speechMatches } from '../src/text/corpus.js';
import { normalizeForSpeech } from '../src/text/index.js';
const g = CORPUS.filter((c) => c.category.startsWith('guides/'));
const res = g.map((c) => ({ c, got: normalizeForSpeech(c.input).text })).map((r) => ({ ...r, ok: speechMatches(r.got, r.c.expected) }));
const tune = res.filter((r) => !r.c.heldOut), held = res.filter((r) => r.c.heldOut);
console.log(`guides tuning ${tune.filter((r) => r.ok).length}/${tune.length}; held out ${held.filter((r) => r.ok).length}/${held.length}`);
if (process.argv.includes('--show')) for (const r of tune) if (!r.ok) console.log(`[${r.c.category}] ${JSON.stringify(r.c.input)}\n   got  ${r.got}\n   want ${JSON.stringify(r.c.expected)}`);
