/**
 * Builds test/text-corpus/zh/sources.data.ts from the Chinese text-normalization test data of two
 * projects we did not write (both Apache-2.0), read from local git checkouts:
 * - WeTextProcessing (github.com/wenet-e2e/WeTextProcessing), tn/chinese/test/data/*.txt,
 *   `written => spoken` per line. Left out: preprocessor.txt (traditional → simplified characters),
 *   postprocessor.txt and normalizer_tag_oov.txt (ASR filler-word removal and <oov> tags): they test
 *   stages of an ASR pipeline, not what a voice should read.
 * - NVIDIA NeMo text processing (github.com/NVIDIA/NeMo-text-processing),
 *   tests/nemo_text_processing/zh/data_text_normalization/test_cases_*.txt, `written~spoken`.
 * Rows that repeat within a source are kept once. The data is copied as it is; where the two
 * sources follow different conventions, test/text-corpus/zh/index.ts accepts both readings.
 *
 * A held-out set (test/text-corpus/zh/heldout.data.ts) comes from the same projects'
 * inverse-normalization test data (WeTextProcessing itn/chinese/test/data/*.txt without the
 * files that depend on ITN options; NeMo zh/data_inverse_text_normalization), read backwards:
 * the written form is the input and every spoken form listed for it is an acceptable reading.
 * It was imported after the rules were written and is never used to change them: the corpus
 * test reports its pass rate and does not show its failing cases.
 *
 * Usage: npx tsx bench/text-corpus-import-zh.ts <WeTextProcessing checkout> <NeMo-text-processing checkout>
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const [wetext, nemo] = process.argv.slice(2);
if (!wetext || !nemo) throw new Error('usage: text-corpus-import-zh.ts <WeTextProcessing dir> <NeMo-text-processing dir>');

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const WETEXT_DIR = 'tn/chinese/test/data/';
const WETEXT_SKIP = new Set(['preprocessor.txt', 'postprocessor.txt', 'normalizer_tag_oov.txt']);
const NEMO_DIR = 'tests/nemo_text_processing/zh/data_text_normalization/';

type Row = [source: string, category: string, input: string, expected: string];
const rows: Row[] = [];
const seen = new Set<string>();
const add = (source: string, category: string, input: string, expected: string) => {
  const key = `${source}\u0000${input}\u0000${expected}`;
  if (!input || seen.has(key)) return;
  seen.add(key);
  rows.push([source, category, input, expected]);
};

for (const path of git(wetext, 'ls-tree', '--name-only', 'HEAD', WETEXT_DIR).split('\n').filter(Boolean)) {
  const file = path.slice(WETEXT_DIR.length);
  if (WETEXT_SKIP.has(file)) continue;
  for (const line of git(wetext, 'show', `HEAD:${path}`).split('\n')) {
    const at = line.indexOf(' => ');
    if (at < 0) continue;
    add('wetext', file.replace(/\.txt$/, ''), line.slice(0, at), line.slice(at + 4).trim());
  }
}
for (const path of git(nemo, 'ls-tree', '--name-only', 'HEAD', NEMO_DIR).split('\n').filter(Boolean)) {
  const category = path.slice(NEMO_DIR.length).replace(/^test_cases_|\.txt$/g, '');
  for (const line of git(nemo, 'show', `HEAD:${path}`).split('\n')) {
    const at = line.indexOf('~');
    if (at < 0) continue;
    add('nemo', category, line.slice(0, at), line.slice(at + 1).trim());
  }
}

// the held-out set: inverse-normalization data read backwards, spoken forms grouped per written form
const ITN_WETEXT_DIR = 'itn/chinese/test/data/';
const ITN_NEMO_DIR = 'tests/nemo_text_processing/zh/data_inverse_text_normalization/';
const heldOut = new Map<string, { source: string; category: string; input: string; expected: string[] }>();
const addHeldOut = (source: string, category: string, spoken: string, written: string) => {
  if (!written || !spoken) return;
  const key = `${source}\u0000${written}`;
  const row = heldOut.get(key) ?? { source, category, input: written, expected: [] };
  if (!row.expected.includes(spoken)) row.expected.push(spoken);
  heldOut.set(key, row);
};
for (const path of git(wetext, 'ls-tree', '--name-only', 'HEAD', ITN_WETEXT_DIR).split('\n').filter(Boolean)) {
  const file = path.slice(ITN_WETEXT_DIR.length);
  if (file.startsWith('normalizer_')) continue; // expectations that depend on ITN options
  for (const line of git(wetext, 'show', `HEAD:${path}`).split('\n')) {
    const at = line.indexOf(' => ');
    if (at >= 0) addHeldOut('wetext-itn', file.replace(/\.txt$/, ''), line.slice(0, at).trim(), line.slice(at + 4).trim());
  }
}
for (const path of git(nemo, 'ls-tree', '--name-only', 'HEAD', ITN_NEMO_DIR).split('\n').filter(Boolean)) {
  const category = path.slice(ITN_NEMO_DIR.length).replace(/^test_cases_|\.txt$/g, '');
  for (const line of git(nemo, 'show', `HEAD:${path}`).split('\n')) {
    const at = line.indexOf('~');
    if (at >= 0) addHeldOut('nemo-itn', category, line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
}
const heldBody = [...heldOut.values()].map((r) => `  ${JSON.stringify([r.source, r.category, r.input, r.expected])},`).join('\n');
writeFileSync(
  'test/text-corpus/zh/heldout.data.ts',
  `/**\n * Generated by bench/text-corpus-import-zh.ts from the Chinese inverse-normalization test data of WeTextProcessing\n * (itn/chinese/test/data, Apache-2.0, © the WeTextProcessing authors) and NVIDIA NeMo text processing\n * (tests/nemo_text_processing/zh/data_inverse_text_normalization, Apache-2.0, © NVIDIA), read backwards:\n * [source, category, written input, spoken forms]. Held out: never used to change the rules. Do not edit by hand.\n */\nexport const ZH_HELD_OUT_ROWS: [source: 'wetext-itn' | 'nemo-itn', category: string, input: string, expected: string[]][] = [\n${heldBody}\n];\n`,
);
console.log(`${heldOut.size} held-out rows`);

const body = rows.map((r) => `  ${JSON.stringify(r)},`).join('\n');
writeFileSync(
  'test/text-corpus/zh/sources.data.ts',
  `/**\n * Generated by bench/text-corpus-import-zh.ts from the Chinese test data of WeTextProcessing (tn/chinese/test/data,\n * Apache-2.0, © the WeTextProcessing authors) and NVIDIA NeMo text processing (tests/nemo_text_processing/zh/\n * data_text_normalization, Apache-2.0, © NVIDIA): [source, category, input, expected]. Do not edit by hand; where the\n * sources' conventions differ, index.ts accepts both readings; known failures are listed in known-failures.ts.\n */\nexport const ZH_ROWS: [source: 'wetext' | 'nemo', category: string, input: string, expected: string][] = [\n${body}\n];\n`,
);
console.log(`${rows.length} rows (${rows.filter((r) => r[0] === 'wetext').length} WeTextProcessing, ${rows.filter((r) => r[0] === 'nemo').length} NeMo)`);
