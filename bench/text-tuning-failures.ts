/**
 * Lists the tuning-set cases that fail, by category (never the held-out ones), for working on
 * the rules. Usage: npx tsx bench/text-tuning-failures.ts [category prefix]
 */
import { CORPUS, speechMatches } from '../test/text-corpus/corpus.js';
import { normalizeForSpeech } from '../src/text/index.js';

const prefix = process.argv[2] ?? '';
for (const c of CORPUS) {
  if (c.heldOut || !c.category.startsWith(prefix)) continue;
  const got = normalizeForSpeech(c.input).text;
  if (!speechMatches(got, c.expected)) console.log(`[${c.category}] ${JSON.stringify(c.input)}\n   got  ${got}\n   want ${JSON.stringify(c.expected)}`);
}
