// Dates: "23/9/2021", "23-9-2021", "2/9", "9/2021", day ranges "23-30/9" and "23/9 - 30/9/2021".
import { type NumberWords, readCardinal } from './numbers.ts';
import { type Rule, re } from './reading.ts';

/** "tháng tư" for April, as the calendar says it; every other month by its number. */
export const readMonth = (month: number, words: NumberWords) =>
  month === 4 ? 'tư' : readCardinal(month, words);

const validDay = (d: string) => Number(d) >= 1 && Number(d) <= 31;
const validMonth = (m: string) => Number(m) >= 1 && Number(m) <= 12;

interface DateParts {
  day?: string;
  month: string;
  year?: string;
}

function readDate(
  { day, month, year }: DateParts,
  words: NumberWords,
  sayDay = true,
  sayMonth = true,
): string {
  const out: string[] = [];
  if (day !== undefined) out.push(`${sayDay ? 'ngày ' : ''}${readCardinal(day, words)}`);
  out.push(`${sayMonth ? 'tháng ' : ''}${readMonth(Number(month), words)}`);
  if (year !== undefined) out.push(`năm ${readCardinal(year, words)}`);
  return out.join(' ');
}

const LEAD = '(?<![\\p{L}\\p{N}/.,\\-])';
const TAIL = '(?![\\p{L}\\p{N}/]|[.,]\\d)';
// The words a date already has before it ("ngày 2/9", "tháng 9/2021"): not said twice.
const DAY_WORD = /(?:ngày|Ngày|mồng|Mồng|hôm|Hôm)\s*$/u;
const MONTH_WORD = /(?:tháng|Tháng)\s*$/u;
const FROM_WORD = /(?:từ|Từ)(?:\s+ngày|\s+Ngày)?\s*$/u;

const D = '(\\d{1,2})';
const PAIR_RANGE = re(`${LEAD}${D}\\/${D}(?:\\/(\\d{4}))?\\s*[-–]\\s*${D}\\/${D}(?:\\/(\\d{4}))?${TAIL}`);
const DAY_RANGE = re(`${LEAD}${D}\\s*[-–]\\s*${D}\\/${D}(?:\\/(\\d{4}))?${TAIL}`);
const FULL = re(`${LEAD}${D}([/\\-])${D}\\2(\\d{4})${TAIL}`);
const DAY_MONTH = re(`${LEAD}${D}\\/${D}${TAIL}`);
const MONTH_YEAR = re(`${LEAD}${D}\\/(\\d{4})${TAIL}`);

const before = (whole: string, offset: number) => whole.slice(Math.max(0, offset - 12), offset);

export const dateRule: Rule = {
  name: 'date',
  apply(text, { words }) {
    return text
      .replace(PAIR_RANGE, (m, d1, m1, y1, d2, m2, y2, offset: number, whole: string) => {
        if (![d1, d2].every(validDay) || ![m1, m2].every(validMonth)) return m;
        const lead = before(whole, offset);
        const from = FROM_WORD.test(lead) || DAY_WORD.test(lead) ? '' : 'từ ';
        const first = readDate({ day: d1, month: m1, year: y1 }, words, !DAY_WORD.test(lead));
        return `${from}${first} đến ${readDate({ day: d2, month: m2, year: y2 }, words)}`;
      })
      .replace(DAY_RANGE, (m, d1, d2, month, year, offset: number, whole: string) => {
        if (![d1, d2].every(validDay) || !validMonth(month) || Number(d2) <= Number(d1)) return m;
        const lead = before(whole, offset);
        const from = DAY_WORD.test(lead) ? '' : FROM_WORD.test(lead) ? 'ngày ' : 'từ ngày ';
        return `${from}${readCardinal(d1, words)} đến ${readDate({ day: d2, month, year }, words)}`;
      })
      .replace(FULL, (m, day, _sep, month, year, offset: number, whole: string) => {
        if (!validDay(day) || !validMonth(month)) return m;
        return readDate({ day, month, year }, words, !DAY_WORD.test(before(whole, offset)));
      })
      .replace(DAY_MONTH, (m, day, month, offset: number, whole: string) => {
        if (!validDay(day) || !validMonth(month)) return m;
        return readDate({ day, month }, words, !DAY_WORD.test(before(whole, offset)));
      })
      .replace(MONTH_YEAR, (m, month, year, offset: number, whole: string) => {
        if (!validMonth(month)) return m;
        return readDate({ month, year }, words, true, !MONTH_WORD.test(before(whole, offset)));
      });
  },
};
