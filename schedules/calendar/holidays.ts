// The named Vietnamese holidays a quiet window or an air-time policy can follow: the one list, with
// Vietnamese and English names, and their solar dates in a year.
//
// Sources:
// - Public holidays: Labour Code 2019 (Bộ luật Lao động, Law 45/2019/QH14), Article 112(1): Tết Dương
//   lịch (1 January), Tết Âm lịch (5 days), Giỗ Tổ Hùng Vương (10th of the 3rd lunar month), Ngày Chiến thắng
//   (30 April), International Labour Day (1 May), National Day (2 September and one day before or after).
//   Which days around Tết make up the 5 days, and which day joins 2 September, the Prime Minister
//   decides each year: those are not computable, so 'tet' is the three days everyone keeps (mùng 1-3
//   Tết) and 'national-day' is 2 September alone; add a year's extra days as solar dates.
// - Customary days the plan's stations mark: Rằm tháng Giêng (15/1 lunar, Tết Nguyên tiêu), Vu Lan
//   (15/7 lunar) and Tết Trung thu (15/8 lunar), as in Vietnamese almanacs (Hồ Ngọc Đức, Âm lịch Việt Nam).
// A lunar holiday falls in the regular month, never in a leap month of the same number.
import { LUNAR_YEARS, solarDateOf } from './lunar.ts';

export const HOLIDAY_IDS = [
  'new-year',
  'tet',
  'hung-kings',
  'victory',
  'labour',
  'national-day',
  'lantern',
  'vu-lan',
  'mid-autumn',
] as const;
export type HolidayId = (typeof HOLIDAY_IDS)[number];

export interface Holiday {
  id: HolidayId;
  /** A public holiday of the Labour Code, or a customary day. */
  kind: 'public' | 'customary';
  calendar: 'solar' | 'lunar';
  /** Its first day in its calendar, and how many days it lasts. */
  month: number;
  day: number;
  days: number;
  vi: string;
  en: string;
}

export const HOLIDAYS: readonly Holiday[] = [
  {
    id: 'new-year',
    kind: 'public',
    calendar: 'solar',
    month: 1,
    day: 1,
    days: 1,
    vi: 'Tết Dương lịch (1/1)',
    en: "New Year's Day (1 January)",
  },
  {
    id: 'tet',
    kind: 'public',
    calendar: 'lunar',
    month: 1,
    day: 1,
    days: 3,
    vi: 'Tết Nguyên Đán (mùng 1–3 tháng Giêng âm lịch)',
    en: 'Lunar New Year, Tết (1st–3rd of the 1st lunar month)',
  },
  {
    id: 'hung-kings',
    kind: 'public',
    calendar: 'lunar',
    month: 3,
    day: 10,
    days: 1,
    vi: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)',
    en: 'Hùng Kings Commemoration (10th of the 3rd lunar month)',
  },
  {
    id: 'victory',
    kind: 'public',
    calendar: 'solar',
    month: 4,
    day: 30,
    days: 1,
    vi: 'Ngày Chiến thắng, giải phóng miền Nam (30/4)',
    en: 'Victory Day, Reunification (30 April)',
  },
  {
    id: 'labour',
    kind: 'public',
    calendar: 'solar',
    month: 5,
    day: 1,
    days: 1,
    vi: 'Ngày Quốc tế Lao động (1/5)',
    en: 'International Labour Day (1 May)',
  },
  {
    id: 'national-day',
    kind: 'public',
    calendar: 'solar',
    month: 9,
    day: 2,
    days: 1,
    vi: 'Quốc khánh (2/9)',
    en: 'National Day (2 September)',
  },
  {
    id: 'lantern',
    kind: 'customary',
    calendar: 'lunar',
    month: 1,
    day: 15,
    days: 1,
    vi: 'Rằm tháng Giêng (15/1 âm lịch)',
    en: 'First full moon, Lantern Festival (15th of the 1st lunar month)',
  },
  {
    id: 'vu-lan',
    kind: 'customary',
    calendar: 'lunar',
    month: 7,
    day: 15,
    days: 1,
    vi: 'Lễ Vu Lan (Rằm tháng Bảy, 15/7 âm lịch)',
    en: 'Vu Lan (15th of the 7th lunar month)',
  },
  {
    id: 'mid-autumn',
    kind: 'customary',
    calendar: 'lunar',
    month: 8,
    day: 15,
    days: 1,
    vi: 'Tết Trung thu (Rằm tháng Tám, 15/8 âm lịch)',
    en: 'Mid-Autumn Festival (15th of the 8th lunar month)',
  },
];

const byId = new Map(HOLIDAYS.map((h) => [h.id, h]));

export const holiday = (id: HolidayId): Holiday => byId.get(id) as Holiday;

/** A holiday's name in the person's language; an id this list does not know is shown as it is. */
export const holidayName = (lang: 'vi' | 'en', id: string): string => byId.get(id as HolidayId)?.[lang] ?? id;

const DAY_MS = 86_400_000;
const plusDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** The solar dates (YYYY-MM-DD) of a holiday that fall in a solar year, earliest first. */
export function holidayDates(id: HolidayId, solarYear: number): string[] {
  const h = holiday(id);
  const firsts =
    h.calendar === 'solar'
      ? [`${String(solarYear).padStart(4, '0')}-${pad(h.month)}-${pad(h.day)}`]
      : // a lunar holiday of lunar year Y falls in solar year Y or (late in the year) Y + 1
        [solarYear - 1, solarYear]
          .filter((y) => y >= LUNAR_YEARS.first && y <= LUNAR_YEARS.last)
          .map((year) => solarDateOf({ year, month: h.month, day: h.day, leap: false }))
          .filter((d): d is string => d !== null);
  const out: string[] = [];
  for (const first of firsts)
    for (let i = 0; i < h.days; i++) {
      const d = plusDays(first, i);
      if (d.startsWith(`${String(solarYear).padStart(4, '0')}-`)) out.push(d);
    }
  return out.sort();
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The holidays that fall on a solar date (YYYY-MM-DD), in list order. */
export const holidaysOn = (date: string): HolidayId[] =>
  HOLIDAY_IDS.filter((id) => holidayDates(id, Number(date.slice(0, 4))).includes(date));
