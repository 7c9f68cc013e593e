// Ranges, units, money, ordinals, months and the plain numbers left after the other rules.
import { readMonth } from './dates.ts';
import { readCardinal, readDigits, readOrdinal, readWrittenNumber } from './numbers.ts';
import { END, escapePattern, NUMBER, type Rule, re, START } from './reading.ts';

/** Written unit → spoken unit. Longest first when matching ("km/h" before "km" before "m"). */
export const UNITS: Readonly<Record<string, string>> = {
  'km/h': 'ki lô mét trên giờ',
  'g/l': 'gam trên lít',
  '‰': 'phần nghìn',
  'km/giờ': 'ki lô mét một giờ',
  'm/s': 'mét trên giây',
  km2: 'ki lô mét vuông',
  'km²': 'ki lô mét vuông',
  km: 'ki lô mét',
  m2: 'mét vuông',
  'm²': 'mét vuông',
  m3: 'mét khối',
  'm³': 'mét khối',
  cm: 'xen ti mét',
  mm: 'mi li mét',
  m: 'mét',
  kg: 'ki lô gam',
  mg: 'mi li gam',
  g: 'gam',
  ha: 'héc ta',
  '°C': 'độ xê',
  '°c': 'độ xê',
  '°': 'độ',
  '%': 'phần trăm',
  ml: 'mi li lít',
  l: 'lít',
  kWh: 'ki lô oát giờ',
  kW: 'ki lô oát',
  MW: 'mê ga oát',
  đ: 'đồng',
  VNĐ: 'đồng',
  VND: 'đồng',
  USD: 'đô la Mỹ',
  ppm: 'phần triệu',
};

/** After a unit or a count, "/người" reads "một người" (per person). */
export const PER_WORDS = [
  'người',
  'hộ',
  'tháng',
  'năm',
  'ngày',
  'tuần',
  'lượt',
  'suất',
  'buổi',
  'lần',
  'giờ',
  'ca',
  'liều',
  'học sinh',
  'em',
  'xe',
  'chiếc',
  'con',
  'khẩu',
  'ha',
  'kg',
  'tấn',
  'lít',
  'm²',
  'm2',
  'hồ sơ',
  'bản',
  'trang',
  'm³',
  'm3',
  'km',
  'kWh',
  'căn',
  'phòng',
  'lô',
  'trẻ',
] as const;

const byLength = (a: string, b: string) => b.length - a.length;
const UNIT_ALTERNATIVES = Object.keys(UNITS).sort(byLength).map(escapePattern).join('|');
const PER_ALTERNATIVES = [...PER_WORDS].sort(byLength).map(escapePattern).join('|');

// "7-9 giờ", "từ 50-70%", "2021-2022", "100 - 150mm": a hyphen or en dash between two numbers.
// A minus sign has no number before it ("-5°C", "từ -2 đến 3").
const RANGE = re(`(${START}${NUMBER})\\s*[-–]\\s*(?=\\d)`);
const MINUS = re(`(^|[\\s(:])[-–](?=\\d)`);
// A number followed by a unit that is not the start of a longer word; "/người" after it reads "một người".
const QUANTITY = re(
  `${START}(${NUMBER})\\s?(${UNIT_ALTERNATIVES})(?![\\p{L}\\p{N}²³])(?:\\s?\\/\\s?(${PER_ALTERNATIVES})${END})?`,
);
const PER = re(`(?<=\\p{L})\\s?\\/\\s?(${PER_ALTERNATIVES})${END}`);
const ORDINAL = re(`((?:thứ|Thứ|THỨ)\\s+)(\\d{1,3})${END}`);
const MONTH = re(`((?:tháng|Tháng|THÁNG)\\s+)(\\d{1,2})${END}(?![.,]\\d)`);
// "13/KH-UBND", "15/2018/NĐ-CP": a slash after a number in a document's number reads "trên".
const CODE_SLASH = re(`(\\d)\\s*\\/\\s*(?=\\p{Lu}|\\d)`);
// "Mục 2.1", "3.5": a dot before one or two digits is not a thousands dot; it reads "chấm".
const DOTTED = re(`${START}(\\d+)\\.(\\d{1,2})(?![\\p{N}]|\\.\\d)`);
const LEADING_ZERO = re(`(?<![\\p{L}\\p{N}.,])(0\\d+)(?![\\p{N}]|[.,]\\d)`);
const PLAIN = re(`(?<![\\p{N}]|\\d[.,])(${NUMBER})(?![\\p{N}]|[.,]\\d)`);
const ANY_DIGITS = /\d+/g;

const per = (word: string) => ` một ${UNITS[word] ?? word}`;

export const rangeRule: Rule = {
  name: 'range',
  apply: (text) => text.replace(RANGE, '$1 đến ').replace(MINUS, '$1âm '),
};

export const quantityRule: Rule = {
  name: 'quantity',
  apply: (text, { words }) =>
    text
      .replace(QUANTITY, (_, n: string, unit: string, each?: string) => {
        const spoken = `${readWrittenNumber(n, words)} ${UNITS[unit]}`;
        return each === undefined ? spoken : `${spoken}${per(each)}`;
      })
      .replace(PER, (_, each: string) => per(each))
      // "50 mg/100 ml": a slash between a unit and a number reads "trên"
      .replace(/(?<=\p{L})\s?\/\s?(?=\d)/gu, ' trên '),
};

export const ordinalRule: Rule = {
  name: 'ordinal',
  apply: (text, { words }) =>
    text
      .replace(ORDINAL, (_, lead: string, n: string) => readOrdinal(Number(n), words).replace(/^thứ /, lead))
      .replace(MONTH, (m, lead: string, n: string) =>
        Number(n) >= 1 && Number(n) <= 12 ? `${lead}${readMonth(Number(n), words)}` : m,
      ),
};

/** Runs before the dictionary, which would take the capitals after the slash away. */
export const codeRule: Rule = {
  name: 'code',
  apply: (text) => text.replace(CODE_SLASH, '$1 trên '),
};

export const numberRule: Rule = {
  name: 'number',
  apply: (text, { words }) =>
    text
      // "covid19": a number written against a word is read apart from it
      .replace(/(?<=\p{L})(?=\d)|(?<=\d)(?=\p{L})/gu, ' ')
      .replace(
        DOTTED,
        (_, a: string, b: string) => `${readCardinal(a, words)} chấm ${readCardinal(b, words)}`,
      )
      // "03 yếu tố": two digits with a leading zero are a count written the official way; longer ones are codes.
      .replace(LEADING_ZERO, (_, n: string) => (n.length <= 2 ? readCardinal(n, words) : readDigits(n)))
      .replace(PLAIN, (_, n: string) => readWrittenNumber(n, words))
      .replace(ANY_DIGITS, (d) => readDigits(d)),
};
