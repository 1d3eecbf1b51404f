/**
 * Text normalization: corpus pass rates, English (tuning and held-out sets) and Chinese (per
 * source) reported separately, throughput (sentences/s on the whole corpus), time per sentence
 * (p99 and worst of per-case medians) and the worst case on adversarial and realistic 100 KB
 * inputs, English, Chinese and mixed (CPU milliseconds). Run alone: npx tsx bench/text.bench.ts [--quick]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CORPUS, speechMatches } from '../test/text-corpus/corpus.js';
import { normalizeForSpeech } from '../src/text/index.js';
import { ZH_CORPUS, ZH_HELD_OUT, speechMatchesZh } from '../test/text-corpus/zh/index.js';

const to100kb = (s: string) => s.repeat(Math.ceil(100_000 / s.length)).slice(0, 100_000);
/** A Chinese script dense with numbers, units, dates and a formula. */
const ZH_SCRIPT = '这款手机售价2999元，比去年便宜了20%。现在下单，3天内发货！会议定在2024年3月5日下午3:30，地点在A座302室，联系电话13812345678。新款iPhone 15支持USB-C，电池5000mAh，时速120km/h，体温36.5°C，公式$x^2+y^2=z^2$，比分2:1，10~20人。\n';
/** Chinese sentences with English names, and whole English sentences between them. */
const MIXED_SCRIPT = '我们用GPT-4o写了3篇文章，阅读量超过10万+，Wi-Fi 6路由器只要¥299。The new model costs $20 per month and was released on 2024-05-13. 今天天气很好，我们一起去公园散步吧。\n';

const ADVERSARIAL: Record<string, string> = {
  braces: '{'.repeat(100_000),
  dollars: '$'.repeat(100_000),
  frac_nest: '\\frac{'.repeat(16_600),
  carets: 'x^'.repeat(50_000),
  number_commas: '1,'.repeat(50_000),
  dollar_letters: '$a'.repeat(50_000),
  prose: 'The quick brown fox jumps over the lazy dog. '.repeat(2_250),
  // every formula different: no reading can be reused from an earlier one
  unique_tex: Array.from({ length: 12_000 }, (_, i) => `$x_{${i}}$`).join(' ').slice(0, 100_000),
  mixed: 'Pay $5 for $x^2$ on 2024-03-15 at 3:45 pm, 60 km/h, 15%. '.repeat(1_700),
  zh: to100kb(ZH_SCRIPT),
  zh_en_mixed: to100kb(MIXED_SCRIPT),
  zh_digits: to100kb('１２３４５６７８９０，1,234.5万-3%~¥9/8 '),
  zh_number_dashes: `中${'1-'.repeat(49_999)}`,
  zh_number_spaces: to100kb('中1 '),
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runTextBench(opts: { quick?: boolean } = {}): Promise<Record<string, number | string>> {
  const inputs = CORPUS.map((c) => c.input);
  const rounds = opts.quick ? 3 : 5;
  const passes = opts.quick ? 5 : 20;
  for (let i = 0; i < 5; i++) for (const s of inputs) normalizeForSpeech(s); // warm up the JIT
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    for (let p = 0; p < passes; p++) for (const s of inputs) normalizeForSpeech(s);
    rates.push((passes * inputs.length) / ((performance.now() - t) / 1000));
  }
  const rate = (held: boolean, part = '') => {
    const set = CORPUS.filter((c) => !!c.heldOut === held && c.category.startsWith(part));
    return +((100 * set.filter((c) => speechMatches(normalizeForSpeech(c.input).text, c.expected)).length) / set.length).toFixed(1);
  };
  // per case: the median of a few runs, so one GC pause does not count as the case's time
  const perCase = inputs.map((s) => {
    const t: number[] = [];
    for (let k = 0; k < (opts.quick ? 3 : 7); k++) {
      const t0 = performance.now();
      normalizeForSpeech(s);
      t.push(performance.now() - t0);
    }
    return median(t);
  });
  const sorted = [...perCase].sort((a, b) => a - b);
  // Chinese: the sources' cases are read as Chinese, our own with the language detected
  const zhRate = (source: string) => {
    const set = ZH_CORPUS.filter((c) => (source === 'sources' ? c.source !== 'own' : c.source === source));
    const ok = set.filter((c) => speechMatchesZh(normalizeForSpeech(c.input, { language: c.source === 'own' ? 'auto' : 'zh' }).text, c.expected));
    return +((100 * ok.length) / set.length).toFixed(1);
  };
  const enAll = +((100 * CORPUS.filter((c) => speechMatches(normalizeForSpeech(c.input).text, c.expected)).length) / CORPUS.length).toFixed(1);
  const result: Record<string, number | string> = {
    corpus_sentences: inputs.length,
    en_pass_pct: enAll,
    tuning_pass_pct: rate(false),
    held_out_pass_pct: rate(true),
    guides_tuning_pass_pct: rate(false, 'guides/'),
    guides_held_out_pass_pct: rate(true, 'guides/'),
    nemo_held_out_pass_pct: rate(true, 'nemo-'),
    zh_corpus_cases: ZH_CORPUS.length,
    zh_sources_pass_pct: zhRate('sources'),
    zh_wetext_pass_pct: zhRate('wetext'),
    zh_nemo_pass_pct: zhRate('nemo'),
    zh_own_pass_pct: zhRate('own'),
    zh_held_out_pass_pct: +((100 * ZH_HELD_OUT.filter((c) => speechMatchesZh(normalizeForSpeech(c.input, { language: 'zh' }).text, c.expected)).length) / ZH_HELD_OUT.length).toFixed(1),
    sentences_per_second_median: Math.round(median(rates)),
    ms_per_sentence_p99: +sorted[Math.floor(sorted.length * 0.99)].toFixed(3),
    ms_per_sentence_max: +sorted[sorted.length - 1].toFixed(3),
  };
  let worst = 0;
  let worstName = '';
  for (const [name, s] of Object.entries(ADVERSARIAL)) {
    // CPU time of this process, not wall time: on a shared machine, waiting for a core is not
    // the normalizer's cost. One warm-up run first (the JIT), then the median of the runs.
    normalizeForSpeech(s);
    const times: number[] = [];
    for (let r = 0; r < (opts.quick ? 2 : 5); r++) {
      const c0 = process.cpuUsage();
      normalizeForSpeech(s);
      const c = process.cpuUsage(c0);
      times.push((c.user + c.system) / 1000);
    }
    const ms = +median(times).toFixed(1);
    result[`ms_100kb_${name}`] = ms;
    if (ms > worst) [worst, worstName] = [ms, name];
  }
  result.worst_100kb_ms = worst;
  result.worst_100kb_input = worstName;
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await runTextBench({ quick: process.argv.includes('--quick') });
  console.table(Object.entries(r).map(([metric, value]) => ({ metric, value })));
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/text.json', JSON.stringify(r, null, 2));
}
