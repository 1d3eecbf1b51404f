/**
 * Chinese words for units, currencies and the measure words that make a bare 2 read 两
 * (docs/text-normalization.md, "Chinese"). Data only: the recognizers build their patterns from it.
 */

/** Units written in Latin letters or symbols after a number → how they are said. Longest first in patterns. */
export const UNITS_ZH: Record<string, string> = {
  'km/h': '公里每小时', 'km/s': '千米每秒', 'm/s': '米每秒', 'm/s²': '米每二次方秒', 'mph': '英里每小时', 'kph': '公里每小时', 'rpm': '转每分钟',
  'mg/L': '毫克每升', 'μg/m³': '微克每立方米', 'µg/m³': '微克每立方米', 'mg/m³': '毫克每立方米', 'mg/kg': '毫克每千克', 'g/L': '克每升', 'kg/m³': '千克每立方米', 'mmol/L': '毫摩尔每升', 'kWh': '千瓦时', 'kW·h': '千瓦时', 'mAh': '毫安时', 'Ah': '安时', 'Wh': '瓦时',
  'km²': '平方千米', 'km2': '平方千米', 'm²': '平方米', 'm2': '平方米', 'cm²': '平方厘米', 'cm2': '平方厘米', 'mm²': '平方毫米', 'm³': '立方米', 'm3': '立方米', 'cm³': '立方厘米', 'dm³': '立方分米',
  '㎡': '平方米', '㎢': '平方千米', '㎥': '立方米', '㎞': '公里', '㎏': '千克', '㎎': '毫克', '㎝': '厘米', '㎜': '毫米', '㎖': '毫升', '㏄': '毫升', '㎉': '千卡',
  'km': '公里', 'm': '米', 'dm': '分米', 'cm': '厘米', 'mm': '毫米', 'μm': '微米', 'µm': '微米', 'um': '微米', 'nm': '纳米',
  'kg': '千克', 'g': '克', 'mg': '毫克', 'μg': '微克', 'µg': '微克', 't': '吨', 'lb': '磅', 'lbs': '磅', 'oz': '盎司',
  'L': '升', 'l': '升', 'ml': '毫升', 'mL': '毫升', 'cc': '毫升',
  'ms': '毫秒', 's': '秒', 'min': '分钟', 'h': '小时', 'hr': '小时', 'μs': '微秒', 'ns': '纳秒',
  'kcal': '千卡', 'cal': '卡', 'kJ': '千焦', 'J': '焦',
  'W': '瓦', 'kW': '千瓦', 'MW': '兆瓦', 'V': '伏', 'kV': '千伏', 'mA': '毫安', 'A': '安', 'Hz': '赫兹', 'kHz': '千赫', 'MHz': '兆赫', 'GHz': '吉赫', 'Ω': '欧', 'dB': '分贝',
  'KB': 'KB', 'MB': 'MB', 'GB': 'GB', 'TB': 'TB', 'PB': 'PB', 'Kb': 'Kb', 'Mb': 'Mb', 'Gb': 'Gb', 'Mbps': '兆比特每秒', 'Gbps': 'G比特每秒', 'Kbps': '千比特每秒', 'MB/s': 'MB每秒', 'GB/s': 'GB每秒', 'fps': '帧每秒', 'px': '像素',
  'ft': '英尺', 'yd': '码', 'Pa': '帕', 'kPa': '千帕', 'MPa': '兆帕', 'hPa': '百帕', 'N': '牛', 'mol': '摩尔', 'ppm': 'ppm',
  '°C': '摄氏度', '℃': '摄氏度', '°F': '华氏度', '℉': '华氏度', '°': '度', '‰': '‰',
};

/** Units that are also English words or single letters: only after a number with no letter right after (checked by the pattern). */
export const UNIT_KEYS = Object.keys(UNITS_ZH).filter((u) => u !== '‰').sort((a, b) => b.length - a.length);

/** Currency signs before an amount → the currency said after it. */
export const CURRENCY_SIGNS: Record<string, string> = {
  '¥': '元', '￥': '元', '$': '美元', 'US$': '美元', 'HK$': '港元', 'A$': '澳元', 'AU$': '澳元', 'C$': '加元', 'CA$': '加元', 'NT$': '新台币', 'S$': '新加坡元', 'NZ$': '新西兰元',
  '€': '欧元', '£': '英镑', '₩': '韩元', '₹': '卢比', '₽': '卢布', '₫': '越南盾', '฿': '泰铢', '₱': '比索',
};
/** Currency codes (before or after an amount). */
export const CURRENCY_CODES_ZH: Record<string, string> = {
  CNY: '人民币', RMB: '人民币', USD: '美元', HKD: '港元', EUR: '欧元', GBP: '英镑', JPY: '日元', KRW: '韩元', AUD: '澳元', CAD: '加元', TWD: '新台币', SGD: '新加坡元', CHF: '瑞士法郎', INR: '卢比', RUB: '卢布', THB: '泰铢', NZD: '新西兰元', MOP: '澳门元',
};

/**
 * Measure words (and Chinese units) after which a bare 2 is 两: 两个人, 两点, 两年, 两千克. Not
 * 月, 日, 号 (二月, 二号), and not 两 itself (二两).
 */
export const LIANG_BEFORE = new Set(
  ('个 位 名 人 次 天 夜 晚 年 岁 件 本 张 条 只 块 元 毛 角 周 倍 种 家 台 部 辆 架 艘 套 份 杯 瓶 碗 盒 包 箱 斤 层 届 期 集 章 节 页 篇 首 句 字 项 点 趟 遍 场 局 轮 门 所 座 栋 间 棵 朵 双 对 把 支 根 颗 粒 片 滴 口 头 匹 行 列 段 声 下 步 批 群 组 队 户 例 票 枚 盏 扇 顶 班 款 克 吨 升 米 千 百 万 亿 分钟 小时 星期 公斤 千克 公里 千米 毫升 厘米 毫米 秒钟 成 代 款 辈 封 道 笔 桌 盘 位数 室 厅 卫 房 楼 车 圈 集 美元 欧元 英镑 港元 日元 韩元 元钱 折 季 亩 公顷 平方 立方 英里 英寸 寸 尺 丈 瓦 伏 毫安')
    .split(' '),
);
/** The measure words by their first character, longest first: looked up with startsWith, nothing sliced. */
const LIANG_BY_FIRST = new Map<string, string[]>();
for (const w of [...LIANG_BEFORE].sort((a, b) => b.length - a.length)) LIANG_BY_FIRST.set(w[0], [...(LIANG_BY_FIRST.get(w[0]) ?? []), w]);
const measureWordAt = (text: string, at: number) => LIANG_BY_FIRST.get(text[at] ?? '')?.some((w) => text.startsWith(w, at)) ?? false;

/** A measure word right after a number (after at most one space): a bare 2 before it is 两. */
export function liangAfter(text: string, at: number): boolean {
  return measureWordAt(text, text[at] === ' ' ? at + 1 : at);
}

const UNIT_OR_APPROX = /[%A-Za-z㎡㎢㎥㎞㎏㎎㎝㎜㎖℃℉°]/;
const APPROX = /[多余来几月日号]/;
/** A measure word or unit right after a number: a range before it reads 到 ("3-5天" → 三到五天), not 比. */
export function measureAfter(text: string, at: number): boolean {
  if (measureWordAt(text, at)) return true;
  const c = text[at] ?? '';
  if (APPROX.test(c) || UNIT_OR_APPROX.test(c)) return true;
  return (c === ' ' || c === '\t') && UNIT_OR_APPROX.test(text[at + 1] ?? '');
}

/** Words before a number that is read digit by digit (phones, codes, rooms, accounts). */
export const DIGIT_CUES = ['电话', '手机', '号码', '拨打', '致电', '热线', '尾号', '验证码', '校验码', '动态码', '密码', '编号', '卡号', '账号', '帐号', '单号', '订单', '工号', '学号', '邮编', '房间', '房号', '车次', '航班', '门牌', '车牌', '分机', '传真', 'QQ', '微信', '拨', '打', '号是', '号为', '代码', '证号', 'ID', '序列号', '批号'];
/** Words before "1-2" or "2:1" that make it a score (比). */
export const SCORE_CUES = ['比分', '比赛', '战胜', '击败', '打败', '战平', '逆转', '爆冷', '领先', '落后', '大胜', '小胜', '险胜', '负于', '胜', '负', '赢', '输', '以', '比', '拿下', '决胜'];
/** Emergency and service numbers dialled, not counted (said digit by digit unless a measure word follows). */
export const SERVICE_NUMBERS = new Set(['110', '119', '120', '122', '114', '12306', '12315', '12345', '12318', '12365', '10086', '10010', '95588', '95533', '95555', '95566', '95599']);
