// Day rules: the days a quiet window or an air-time policy is limited to (`days`) or spared on
// (`exceptDays`), named by holiday, lunar date or solar date; whether a date is one of them, and why a
// rule that names a day which does not exist is refused.
import { z } from 'zod';
import { HOLIDAY_IDS, holiday, holidayDates } from './holidays.ts';
import { LUNAR_YEARS, leapMonthOf, lunarDayOf, lunarMonth, solarDateOf, yearName } from './lunar.ts';

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A lunar date, every year or, with `year`, once (the lunar year is numbered by its Tết: 2025 = Ất Tỵ). */
export const LunarDate = z.object({
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(30),
  /** In the leap month (tháng nhuận) of that number. */
  leap: z.boolean().optional(),
  year: z.number().int().min(LUNAR_YEARS.first).max(LUNAR_YEARS.last).optional(),
});
export type LunarDate = z.infer<typeof LunarDate>;

/** A solar date every year, e.g. 2/9. */
export const SolarDay = z
  .object({ month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(31) })
  .refine((d) => d.day <= (MONTH_DAYS[d.month - 1] as number), {
    message: 'that month has no such day',
    path: ['day'],
  });
export type SolarDay = z.infer<typeof SolarDay>;

export const DayRule = z
  .object({
    holidays: z.array(z.enum(HOLIDAY_IDS)).max(HOLIDAY_IDS.length).optional(),
    lunar: z.array(LunarDate).max(50).optional(),
    solar: z.array(SolarDay).max(50).optional(),
  })
  .refine((r) => (r.holidays?.length ?? 0) + (r.lunar?.length ?? 0) + (r.solar?.length ?? 0) > 0, {
    message: 'name at least one holiday, lunar date or solar date',
  });
export type DayRule = z.infer<typeof DayRule>;

/** The rules of a quiet window or an air-time policy. */
export interface DayRules {
  days?: DayRule | undefined;
  exceptDays?: DayRule | undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');
const solarDate = (year: number, month: number, day: number): string | null => {
  const d = `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
  return new Date(`${d}T00:00:00Z`).toISOString().startsWith(d) ? d : null;
};

function datesOfRule(rule: DayRule, year: number): Set<string> {
  const out = new Set<string>();
  const inYear = (d: string | null) => {
    if (d?.startsWith(`${String(year).padStart(4, '0')}-`)) out.add(d);
  };
  for (const id of rule.holidays ?? []) for (const d of holidayDates(id, year)) out.add(d);
  for (const l of rule.lunar ?? []) {
    // a lunar date of lunar year Y falls in solar year Y or, late in the year, Y + 1
    for (const y of l.year !== undefined ? [l.year] : [year - 1, year])
      inYear(solarDateOf({ year: y, month: l.month, day: l.day, leap: l.leap ?? false }));
  }
  for (const s of rule.solar ?? []) inYear(solarDate(year, s.month, s.day));
  return out;
}

// Rules are compiled for many stations and dates at once: each rule object keeps its dates per year, and
// equal rules (the same window copied to thousands of stations, parsed anew for each) share them.
const remembered = new WeakMap<DayRule, Map<number, Set<string>>>();
const byContent = new Map<string, Set<string>>();
const BY_CONTENT_MAX = 10_000;

/** Whether a local date (YYYY-MM-DD) is one of the days a rule names. */
export function onDays(rule: DayRule, date: string): boolean {
  let byYear = remembered.get(rule);
  if (!byYear) {
    byYear = new Map();
    remembered.set(rule, byYear);
  }
  const year = Number(date.slice(0, 4));
  let set = byYear.get(year);
  if (!set) {
    const key = `${year} ${JSON.stringify(rule)}`;
    set = byContent.get(key);
    if (!set) {
      if (byContent.size >= BY_CONTENT_MAX) byContent.clear();
      set = datesOfRule(rule, year);
      byContent.set(key, set);
    }
    byYear.set(year, set);
  }
  return set.has(date);
}

/** Whether day rules let a window or policy apply on a date: one of `days` (if given), none of `exceptDays`. */
export const daysAllow = (rules: DayRules, date: string): boolean =>
  (!rules.days || onDays(rules.days, date)) && !(rules.exceptDays && onDays(rules.exceptDays, date));

export type DayProblemCode =
  | 'lunar-day-missing'
  | 'leap-month-missing'
  | 'lunar-year-unknown'
  | 'solar-day-missing'
  | 'outside-dates';

/** A day that a rule names but that does not exist, in English (the API's message) and Vietnamese. */
export interface DayProblem {
  path: string;
  code: DayProblemCode;
  en: string;
  vi: string;
}

const MONTH_VI = ['Giêng', 'Hai', 'Ba', 'Tư', 'Năm', 'Sáu', 'Bảy', 'Tám', 'Chín', 'Mười', 'Một', 'Chạp'];
const viDate = (d: string) => `${d.slice(8)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
const lunarEn = (l: LunarDate) => `lunar ${l.day}/${l.month}${l.leap ? ' (leap month)' : ''}`;
const lunarVi = (l: LunarDate) => `ngày ${l.day}/${l.month}${l.leap ? ' nhuận' : ''} âm lịch`;

/** Why lunar date `l` does not exist in lunar year `y`, or null when it does. */
function missingIn(l: LunarDate, y: number, path: string): DayProblem | null {
  const month = lunarMonth(y, l.month, l.leap ?? false);
  const name = `${yearName(y)} (${y})`;
  if (!month) {
    const leap = leapMonthOf(y);
    return {
      path,
      code: 'leap-month-missing',
      en: leap
        ? `lunar year ${y} (${yearName(y)}) has no leap month ${l.month}: its leap month is ${leap}`
        : `lunar year ${y} (${yearName(y)}) has no leap month`,
      vi: leap
        ? `Năm ${name} không có tháng ${l.month} nhuận: năm đó nhuận tháng ${leap}`
        : `Năm ${name} không có tháng nhuận`,
    };
  }
  if (l.day <= month.length) return null;
  return {
    path,
    code: 'lunar-day-missing',
    en: `${lunarEn(l)} does not exist in lunar year ${y} (${yearName(y)}): that month has ${month.length} days`,
    vi: `${cap(lunarVi(l))} không có trong năm ${name}: tháng ${MONTH_VI[l.month - 1]}${l.leap ? ' nhuận' : ''} năm đó chỉ có ${month.length} ngày`,
  };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

interface Range {
  startDate: string;
  endDate: string;
}

/**
 * The days that rules name but that do not exist. A one-off lunar date (with `year`) must exist in that
 * year, and fall inside `dates`; a recurring lunar or solar date must exist in every year that `dates`
 * reach (a 30th, a leap month and 29/2 do not exist every year). `dates` null means every year (an
 * air-time policy has no end).
 */
export function dayRuleProblems(rules: DayRules, dates: Range | null): DayProblem[] {
  const out: DayProblem[] = [];
  const first = dates ? lunarDayOf(dates.startDate)?.year : undefined;
  const last = dates ? lunarDayOf(dates.endDate)?.year : undefined;
  for (const key of ['days', 'exceptDays'] as const) {
    const rule = rules[key];
    if (!rule) continue;
    const lunarHolidays = (rule.holidays ?? []).some((id) => holiday(id).calendar === 'lunar');
    if (dates && (first === undefined || last === undefined) && (rule.lunar?.length || lunarHolidays)) {
      out.push({
        path: key,
        code: 'lunar-year-unknown',
        en: `the lunar calendar is known for lunar years ${LUNAR_YEARS.first} to ${LUNAR_YEARS.last}: the dates ${dates.startDate} to ${dates.endDate} reach beyond them`,
        vi: `Âm lịch chỉ tính được cho các năm ${LUNAR_YEARS.first}–${LUNAR_YEARS.last}: khoảng ngày ${viDate(dates.startDate)}–${viDate(dates.endDate)} vượt quá`,
      });
      continue;
    }
    for (const [i, l] of (rule.lunar ?? []).entries()) {
      const path = `${key}.lunar.${i}`;
      const problem = lunarProblem(l, path, dates, first, last);
      if (problem) out.push(problem);
    }
    for (const [i, s] of (rule.solar ?? []).entries()) {
      if (s.month !== 2 || s.day !== 29) continue;
      const from = dates ? Number(dates.startDate.slice(0, 4)) : 2021;
      const to = dates ? Number(dates.endDate.slice(0, 4)) : 2021;
      const y = [...Array(to - from + 1).keys()].map((k) => from + k).find((k) => !solarDate(k, 2, 29));
      if (y === undefined) continue;
      out.push({
        path: `${key}.solar.${i}`,
        code: 'solar-day-missing',
        en: `29/2 does not exist in ${y}: a recurring date must exist in every year ${dates ? 'the dates reach' : 'it applies'}`,
        vi: `Ngày 29/2 không có trong năm ${y}: ngày lặp lại hằng năm phải có trong mọi năm ${dates ? 'của khoảng ngày' : 'áp dụng'}`,
      });
    }
  }
  return out;
}

function lunarProblem(
  l: LunarDate,
  path: string,
  dates: Range | null,
  first: number | undefined,
  last: number | undefined,
): DayProblem | null {
  if (l.year !== undefined) {
    const missing = missingIn(l, l.year, path);
    const at = solarDateOf({ year: l.year, month: l.month, day: l.day, leap: l.leap ?? false });
    if (missing || !dates || !at || (dates.startDate <= at && at <= dates.endDate)) return missing;
    return {
      path,
      code: 'outside-dates',
      en: `${lunarEn(l)} of lunar year ${l.year} (${yearName(l.year)}) is ${at}, outside the dates ${dates.startDate} to ${dates.endDate}`,
      vi: `${cap(lunarVi(l))} năm ${yearName(l.year)} (${l.year}) là ngày ${viDate(at)}, nằm ngoài khoảng ${viDate(dates.startDate)}–${viDate(dates.endDate)}`,
    };
  }
  // a recurring date: every lunar year the dates reach or, with no dates, every year (named from 2020 on)
  const from = first ?? 2020;
  const to = last ?? LUNAR_YEARS.last;
  for (let y = from; y <= to; y++) {
    const missing = missingIn(l, y, path);
    if (!missing) continue;
    const en = dates
      ? `a recurring date must exist in every lunar year the dates reach (${from} to ${to})`
      : 'a recurring date must exist every year: give its lunar year';
    const vi = dates
      ? `ngày lặp lại hằng năm phải có trong mọi năm âm lịch của khoảng ngày (${from}–${to})`
      : 'ngày lặp lại hằng năm phải có trong mọi năm: hãy ghi rõ năm âm lịch';
    return { ...missing, en: `${missing.en}; ${en}`, vi: `${missing.vi}; ${vi}` };
  }
  return null;
}
