/**
 * One table per class, Chinese (classify → resolve → verbalize): each row is read as expected and
 * the span is reported with that class in `changes`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeForSpeech } from '../index.js';
import type { SpanClass } from '../spans.js';

/** [input, the span in it, the whole text as read]. */
type Row = [string, string, string];
const TABLE: Partial<Record<SpanClass, Row[]>> = {
  cardinal: [['共1050人', '1050', '共一千零五十人'], ['来了2个人', '2', '来了两个人'], ['第2名', '2', '第二名'], ['约315万字', '315', '约三百一十五万字'], ['独得300w张', '300w', '独得三百万张'], ['１２３人', '１２３', '一百二十三人'], ['温度-5度', '-5', '温度负五度']],
  money: [['售价¥2999', '¥2999', '售价两千九百九十九元'], ['只要$5', '$5', '只要五美元'], ['价格HK$13.5', 'HK$13.5', '价格十三点五港元'], ['€2', '€2', '两欧元'], ['余额CNY 1.25', 'CNY 1.25', '余额一点二五人民币'], ['融资$1.5亿', '$1.5亿', '融资一点五亿美元'], ['现价¥1,299.00', '¥1,299.00', '现价一千二百九十九元']],
  percent: [['便宜了20%', '20%', '便宜了百分之二十'], ['下降-3.2%', '-3.2%', '下降负百分之三点二'], ['千分之5：5‰', '5‰', '千分之五：千分之五'], ['增长10%-20%', '10%-20%', '增长百分之十到百分之二十']],
  fraction: [['约1/3的人', '1/3', '约三分之一的人'], ['3/4杯', '3/4', '四分之三杯']],
  range: [['3-5天', '3-5', '三到五天'], ['10~20人', '10~20', '十到二十人'], ['2-3个', '2-3', '两到三个'], ['中国1-2', '1-2', '中国一比二'], ['比分2:1', '2:1', '比分二比一']],
  date: [['2024-03-05到期', '2024-03-05', '二零二四年三月五日到期'], ['2024/3/5', '2024/3/5', '二零二四年三月五日'], ['08-08-2008', '08-08-2008', '二零零八年八月八日']],
  year: [['2024年3月5日', '2024', '二零二四年三月五日'], ['90后', '90', '九零后'], ['公元前202年', '202', '公元前二零二年']],
  time: [['3:30开会', '3:30', '三点三十分开会'], ['2:05出发', '2:05', '两点零五分出发'], ['15:45:10', '15:45:10', '十五点四十五分十秒'], ['8:00 a.m.开会', '8:00 a.m.', '上午八点开会']],
  phone: [['手机13812345678', '13812345678', '手机一三八一二三四五六七八'], ['电话010-64035547', '010-64035547', '电话零一零六四零三五五四七']],
  digits: [['验证码 857392', '857392', '验证码 八五七三九二'], ['地址127.0.0.1', '127.0.0.1', '地址一二七点零点零点一'], ['住在1801室', '1801', '住在一八零一室'], ['打110', '110', '打一一零']],
  url: [['访问https://example.com/page?id=123了解', 'https://example.com/page?id=123', '访问https://example.com/page?id=一二三了解']],
  email: [['邮箱test123@qq.com', 'test123@qq.com', '邮箱test一二三@qq.com']],
  code: [['RTX 4090显卡', '4090', 'RTX 四零九零显卡'], ['1080P视频', '1080P', '一零八零P视频'], ['G1234次', 'G1234', 'G一二三四次'], ['CA1234航班', 'CA1234', 'CA一二三四航班'], ['iPhone15', 'iPhone15', 'iPhone十五'], ['5G网络', '5G', '五G网络'], ['B2B平台', 'B2B', 'B to B平台'], ['版本v1.2.3', 'v1.2.3', '版本v一点二点三']],
  measure: [['体温36.5°C', '36.5°C', '体温三十六点五摄氏度'], ['120km/h', '120km/h', '一百二十公里每小时'], ['重2kg', '2kg', '重两千克'], ['面积90㎡', '90㎡', '面积九十平方米'], ['5000mAh', '5000mAh', '五千毫安时'], ['风速3m/s', '3m/s', '风速三米每秒'], ['10-20cm', '10-20cm', '十到二十厘米']],
  math: [['$x^2$', '$x^2$', 'x的平方'], ['$\\frac{1}{2}$', '$\\frac{1}{2}$', '二分之一'], ['\\sqrt{2}', '\\sqrt{2}', '根号二'], ['1+2=3', '1+2=3', '一加二等于三'], ['a²+b²', 'a²+b²', 'a的平方加b的平方'], ['$\\sin x \\geq 0$', '$\\sin x \\geq 0$', 'sin x大于等于零'], ['√2', '√2', '根号二']],
  symbol: [['票数≥100万', '≥', '票数大于等于一百万'], ['5岁~8岁', '~', '五岁到八岁'], ['好评5000+', '+', '好评五千多'], ['80元/人', '/', '八十元每人'], ['8:00-20:00', '-', '八点到二十点']],
};

describe('Chinese: each class, read and reported', () => {
  for (const [cls, rows] of Object.entries(TABLE) as [SpanClass, Row[]][]) {
    it(cls, () => {
      for (const [input, span, spoken] of rows) {
        const r = normalizeForSpeech(input, { language: 'zh' });
        expect(r.text, input).toBe(spoken);
        expect(r.language).toBe('zh');
        const change = r.changes.find((c) => c.original === span);
        expect(change?.class, `${input}: ${span}`).toBe(cls);
        for (const c of r.changes) expect(input.slice(c.start, c.end)).toBe(c.original);
      }
    });
  }
});

describe('Chinese: mixed text', () => {
  it('keeps English words and model names, reads numbers next to them in Chinese', () => {
    expect(normalizeForSpeech('新款iPhone 15支持USB-C和Wi-Fi，用GPT-4o写').text).toBe('新款iPhone 十五支持USB-C和Wi-Fi，用GPT-4o写');
  });

  it('reads an English sentence inside a Chinese script in English, with offsets into the whole text', () => {
    const input = '我们写了3篇文章。It costs $20 per month.\n第二行有5个字。';
    const r = normalizeForSpeech(input);
    expect(r.text).toBe('我们写了三篇文章。It costs twenty dollars per month.\n第二行有五个字。');
    for (const c of r.changes) expect(input.slice(c.start, c.end)).toBe(c.original);
  });

  it('keeps Chinese punctuation and folds full-width letters', () => {
    expect(normalizeForSpeech('苹果发布新ＩＰＨＯＮＥ，售价５０００元！').text).toBe('苹果发布新IPHONE，售价五千元！');
  });
});

describe('Chinese: properties', () => {
  const han = fc.constantFrom('人', '元', '天', '个', '年', '月', '日', '第', '点', '万', '的', '，', '。', '：');
  const digitish = fc.constantFrom('0', '1', '2', '5', '9', '.', ',', '-', '~', '%', '/', ':', ' ', '¥', '$', '+', '=', '１', '２', '℃', '°C', '㎏', '㎡');
  it('leaves no Arabic digit in text made of Chinese, digits and signs', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(han, digitish), minLength: 1, maxLength: 40 }), (s) => {
        const r = normalizeForSpeech(s, { language: 'zh' });
        expect(r.text).not.toMatch(/[0-9０-９]/);
      }),
      { numRuns: 1500 },
    );
  });

  it('is total: never throws, never leaves TeX syntax, stays bounded', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('$', '\\', '{', '}', '^', '_', 'x', '1', '中', 'frac', 'sqrt', '-', '.', '%', '/', '年') })), (s) => {
        const r = normalizeForSpeech(s, { language: 'zh' });
        expect(r.text).not.toMatch(/[\\$]/);
        expect(r.text.length).toBeLessThanOrEqual(s.length * 40 + 100);
      }),
      { numRuns: 800 },
    );
  });

  it('reads text without Han characters exactly as the English normalizer does when the language is auto', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '1', '2', '.', ',', '$', '%', '-', ':', 'The', 'km', '2024') }), (s) => {
        expect(normalizeForSpeech(s)).toEqual(normalizeForSpeech(s, { language: 'en' }));
      }),
      { numRuns: 300 },
    );
  });

  it('handles adversarial 100 KB inputs', () => {
    for (const s of ['１'.repeat(100_000), '1-'.repeat(50_000), '$x^'.repeat(33_000), '2024年'.repeat(20_000), '¥1,'.repeat(33_000), '\\frac{'.repeat(16_000) + '中']) {
      const r = normalizeForSpeech(s, { language: 'zh' });
      expect(typeof r.text).toBe('string');
      expect(r.text).not.toMatch(/[\\$]/);
    }
  });
});
