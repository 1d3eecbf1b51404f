/**
 * One-off comparison: MathJax's speech-rule-engine (ClearSpeak, TeX via mathjax-full) against
 * our normalizer on the LaTeX cases of the corpus. Quality (pass rate, raw and with digits
 * spelled out), start-up time, memory and speed. Run: npx tsx bench/text-sre-compare.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CORPUS } from '../test/text-corpus/corpus.js';
import { normalizeForSpeech } from '../src/text/index.js';
import { numberWords } from '../src/text/numbers.js';

const require = createRequire(import.meta.url);
const canon = (s: string) => s.toLowerCase().replace(/,/g, ' ').replace(/[.!?;:]+(\s|$)/g, '$1').replace(/\s+/g, ' ').trim();
const pass = (got: string, exp: string | string[]) => (Array.isArray(exp) ? exp : [exp]).some((e) => canon(e) === canon(got));

async function main(): Promise<void> {
  const cases = CORPUS.filter((c) => c.category.startsWith('latex') && /^\$[^$]+\$$/.test(c.input));
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const sre = require('speech-rule-engine');
  const { mathjax } = require('mathjax-full/js/mathjax.js');
  const { TeX } = require('mathjax-full/js/input/tex.js');
  const { AllPackages } = require('mathjax-full/js/input/tex/AllPackages.js');
  const { SerializedMmlVisitor } = require('mathjax-full/js/core/MmlTree/SerializedMmlVisitor.js');
  const { liteAdaptor } = require('mathjax-full/js/adaptors/liteAdaptor.js');
  const { RegisterHTMLHandler } = require('mathjax-full/js/handlers/html.js');
  RegisterHTMLHandler(liteAdaptor());
  const doc = mathjax.document('', { InputJax: new TeX({ packages: (AllPackages as string[]).filter((p) => p !== 'bussproofs') }) });
  const visitor = new SerializedMmlVisitor();
  await sre.setupEngine({ domain: 'clearspeak', style: 'default', locale: 'en', modality: 'speech' });
  await sre.engineReady();
  const sreStartupMs = performance.now() - t0;
  const sreRssMb = (process.memoryUsage().rss - rss0) / 1e6;
  const speakSre = (tex: string): string => {
    try {
      return sre.toSpeech(visitor.visitTree(doc.convert(tex, { display: false })));
    } catch {
      return '';
    }
  };
  let sreRaw = 0;
  let sreDigits = 0;
  let ours = 0;
  const rows: Array<Record<string, string>> = [];
  const t1 = performance.now();
  for (const c of cases) {
    const s = speakSre(c.input.slice(1, -1));
    if (pass(s, c.expected)) sreRaw++;
    const spelled = s.replace(/\d+(\.\d+)?/g, (d) => numberWords(d));
    if (pass(spelled, c.expected)) sreDigits++;
    rows.push({ input: c.input, sre: s });
  }
  const sreMs = performance.now() - t1;
  const t2 = performance.now();
  for (const c of cases) if (pass(normalizeForSpeech(c.input).text, c.expected)) ours++;
  const oursMs = performance.now() - t2;
  const result = {
    cases: cases.length,
    sre_pass_raw: sreRaw,
    sre_pass_digits_spelled: sreDigits,
    ours_pass: ours,
    sre_startup_ms: Math.round(sreStartupMs),
    sre_rss_mb: Math.round(sreRssMb),
    sre_ms_per_expr: +(sreMs / cases.length).toFixed(3),
    ours_ms_per_expr: +(oursMs / cases.length).toFixed(4),
    samples: rows.slice(0, 12),
  };
  console.table([{ engine: 'speech-rule-engine', pass: `${sreRaw} (${sreDigits} digits spelled)/${cases.length}`, startup_ms: result.sre_startup_ms, ms_per_expr: result.sre_ms_per_expr, rss_mb: result.sre_rss_mb }, { engine: 'ours', pass: `${ours}/${cases.length}`, startup_ms: 0, ms_per_expr: result.ours_ms_per_expr, rss_mb: '~0' }]);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/text-sre-compare.json', JSON.stringify(result, null, 2));
}

await main();
