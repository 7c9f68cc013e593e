// The Vietnamese lunar calendar (âm lịch): its months and the solar dates of lunar days, for UTC+7.
//
// Why @dqcai/vn-lunar (MIT, no dependencies, 13 kB, lunar years 1200-2199): its data are Hồ Ngọc Đức's
// tables of the Vietnamese calendar, computed for UTC+7 from 1968 (UTC+8 before), the reference that
// Vietnamese almanacs follow. Checked before choosing, day by day over 1970-2099:
// - date-chinese (the most used; its CalendarVietnamese is astronomical, UTC+7) agrees everywhere except
//   2033, where it gives two leap months (8 and 11) in one year; the rule (GB/T 33661-2017, and Hồ Ngọc
//   Đức's calendar) gives one, the 11th; it also differs in 2053-2054;
// - lunar-javascript and tyme4ts compute the Chinese calendar (UTC+8): Tết 1985, 2007 and 2030 a day or a
//   month off (1985: 21/1 in Vietnam, 20/2 in China);
// - vietnamese-lunar-calendar shows the 30th of a long month as the next month's 1st;
// - amlich is Hồ Ngọc Đức's own code under a non-commercial licence.
// The package converts a lunar date that does not exist into a date of the next month without a word,
// so this file works from its month table (getYearInfo) and decides existence itself.
import { getYearInfo } from '@dqcai/vn-lunar';

/**
 * Lunar years known whole: the package's tables run 1200-2199 and a year's last month needs the next; but
 * 14 years before 1750 give month starts that are not dates (1219, 1229, ... 1749: found by the generated
 * hostile requests), so the calendar starts at 1800, far before any record or rule of a station.
 */
export const LUNAR_YEARS = { first: 1800, last: 2198 } as const;

/** A lunar day; `year` numbers the lunar year by the solar year its Tết falls in (2025 = Ất Tỵ). */
export interface LunarDay {
  year: number;
  month: number;
  day: number;
  leap: boolean;
}

export interface LunarMonth {
  year: number;
  month: number;
  leap: boolean;
  /** Its first day, YYYY-MM-DD. */
  start: string;
  length: 29 | 30;
}

const DAY_MS = 86_400_000;
/** The Julian day number of 1970-01-01. */
const JD_1970 = 2_440_588;
const dateOfJd = (jd: number) => new Date((jd - JD_1970) * DAY_MS).toISOString().slice(0, 10);
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

const known = (year: number) =>
  Number.isInteger(year) && year >= LUNAR_YEARS.first && year <= LUNAR_YEARS.last;

/** The package's month: its first day as a Julian day number. */
interface MonthStart {
  month: number;
  leap: boolean;
  jd: number;
}

// At most one entry per known year (about a thousand small arrays): never needs clearing.
const years = new Map<number, readonly LunarMonth[]>();

/** The 12 or 13 months of a lunar year, in order (a leap month follows the month it repeats). */
export function lunarMonths(year: number): readonly LunarMonth[] | null {
  if (!known(year)) return null;
  const cached = years.get(year);
  if (cached) return cached;
  // its .d.ts files import without extensions, which NodeNext does not resolve: say the shape used here
  const info = getYearInfo(year) as MonthStart[];
  const nextTet = (getYearInfo(year + 1)[0] as MonthStart).jd;
  const months = info.map((m, i) => ({
    year,
    month: m.month,
    leap: m.leap,
    start: dateOfJd(m.jd),
    length: ((info[i + 1]?.jd ?? nextTet) - m.jd) as 29 | 30,
  }));
  years.set(year, months);
  return months;
}

export function lunarMonth(year: number, month: number, leap: boolean): LunarMonth | null {
  return lunarMonths(year)?.find((m) => m.month === month && m.leap === leap) ?? null;
}

/** The leap month of a lunar year (the number it repeats), or null when the year has none. */
export const leapMonthOf = (year: number): number | null =>
  lunarMonths(year)?.find((m) => m.leap)?.month ?? null;

/** The solar date (YYYY-MM-DD) of a lunar day, or null when that day does not exist or is not known. */
export function solarDateOf(d: LunarDay): string | null {
  const m = lunarMonth(d.year, d.month, d.leap);
  if (!m || !Number.isInteger(d.day) || d.day < 1 || d.day > m.length) return null;
  return dateOfJd(dayNumber(m.start) + JD_1970 + d.day - 1);
}

/** The lunar day of a solar date (YYYY-MM-DD), or null outside the known years. */
export function lunarDayOf(date: string): LunarDay | null {
  const solarYear = Number(date.slice(0, 4));
  const n = dayNumber(date);
  for (const year of [solarYear, solarYear - 1]) {
    const months = lunarMonths(year);
    if (!months) continue;
    for (let i = months.length - 1; i >= 0; i--) {
      const m = months[i] as LunarMonth;
      const offset = n - dayNumber(m.start);
      if (offset >= 0 && offset < m.length) return { year, month: m.month, day: offset + 1, leap: m.leap };
    }
  }
  return null;
}

// The package's own getYearCanChi spells the third stem 'Bình'; it is 'Bính' (丙): Bính Ngọ, 2026.
const STEMS = ['Giáp', 'Ất', 'Bính', 'Đinh', 'Mậu', 'Kỷ', 'Canh', 'Tân', 'Nhâm', 'Quý'];
const BRANCHES = ['Tý', 'Sửu', 'Dần', 'Mão', 'Thìn', 'Tỵ', 'Ngọ', 'Mùi', 'Thân', 'Dậu', 'Tuất', 'Hợi'];

/** The Can Chi name of a lunar year, e.g. 2025 -> 'Ất Tỵ' (year 4 was Giáp Tý). */
export const yearName = (year: number): string =>
  `${STEMS[(((year - 4) % 10) + 10) % 10]} ${BRANCHES[(((year - 4) % 12) + 12) % 12]}`;
