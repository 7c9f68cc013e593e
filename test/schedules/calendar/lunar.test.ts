// The Vietnamese lunar calendar against published dates: Tết, Giỗ Tổ Hùng Vương and Tết Trung thu over
// many years, the years in which Vietnam and China differ, leap months, and the Tết notices' day counts.
import { describe, expect, it } from 'vitest';
import { holidayDates } from '../../../schedules/calendar/holidays.ts';
import {
  LUNAR_YEARS,
  leapMonthOf,
  lunarDayOf,
  lunarMonth,
  lunarMonths,
  solarDateOf,
  yearName,
} from '../../../schedules/calendar/lunar.ts';

/**
 * Mùng 1 Tết (1st day of the 1st lunar month) as published. Sources: the Government's yearly Tết holiday
 * notices (Thông báo nghỉ Tết Âm lịch, Bộ Lao động - Thương binh và Xã hội; Bộ Nội vụ from 2025), which
 * give the days off in both calendars, and the "Tết" article of Wikipedia (infobox: 10 February 2024,
 * 29 January 2025). The year names are the Can Chi of Vietnamese almanacs.
 */
const TET: [year: number, name: string, date: string][] = [
  [2010, 'Canh Dần', '2010-02-14'],
  [2011, 'Tân Mão', '2011-02-03'],
  [2012, 'Nhâm Thìn', '2012-01-23'],
  [2013, 'Quý Tỵ', '2013-02-10'],
  [2014, 'Giáp Ngọ', '2014-01-31'],
  [2015, 'Ất Mùi', '2015-02-19'],
  [2016, 'Bính Thân', '2016-02-08'],
  [2017, 'Đinh Dậu', '2017-01-28'],
  [2018, 'Mậu Tuất', '2018-02-16'],
  [2019, 'Kỷ Hợi', '2019-02-05'],
  [2020, 'Canh Tý', '2020-01-25'],
  [2021, 'Tân Sửu', '2021-02-12'],
  [2022, 'Nhâm Dần', '2022-02-01'],
  [2023, 'Quý Mão', '2023-01-22'],
  [2024, 'Giáp Thìn', '2024-02-10'],
  [2025, 'Ất Tỵ', '2025-01-29'],
  [2026, 'Bính Ngọ', '2026-02-17'],
];

/**
 * Years in which Vietnam's Tết (UTC+7) is not China's (UTC+8). Source: Wikipedia, "Vietnamese calendar"
 * (1985: 21 January in Vietnam, 20 February in China; 2007: 17 and 18 February; 2030: 2 and 3 February),
 * after Hồ Ngọc Đức, "Âm lịch Việt Nam".
 */
const NOT_CHINA: [year: number, vietnam: string, china: string][] = [
  [1985, '1985-01-21', '1985-02-20'],
  [2007, '2007-02-17', '2007-02-18'],
  [2030, '2030-02-02', '2030-02-03'],
];

/**
 * Giỗ Tổ Hùng Vương (10/3 lunar), a public holiday since 2007, and Tết Trung thu (15/8 lunar), as the
 * Government's holiday notices and the press of each year announced them.
 */
const HUNG_KINGS = [
  '2019-04-14',
  '2020-04-02',
  '2021-04-21',
  '2022-04-10',
  '2023-04-29',
  '2024-04-18',
  '2025-04-07',
  '2026-04-26',
];
const MID_AUTUMN = ['2021-09-21', '2022-09-10', '2023-09-29', '2024-09-17', '2025-10-06'];

describe('the Vietnamese lunar calendar against published dates', () => {
  it.each(TET)('Tết %i (%s) is %s', (year, name, date) => {
    expect(holidayDates('tet', year)[0]).toBe(date);
    expect(lunarDayOf(date)).toEqual({ year, month: 1, day: 1, leap: false });
    expect(yearName(year)).toBe(name);
  });

  it.each(NOT_CHINA)('Tết %i is %s in Vietnam, not %s as in China', (year, vietnam, china) => {
    expect(holidayDates('tet', year)[0]).toBe(vietnam);
    expect(lunarDayOf(china)).not.toMatchObject({ year, month: 1, day: 1 });
  });

  it('gives Giỗ Tổ Hùng Vương and Tết Trung thu on their published days', () => {
    expect(HUNG_KINGS.map((d) => holidayDates('hung-kings', Number(d.slice(0, 4)))[0])).toEqual(HUNG_KINGS);
    expect(MID_AUTUMN.map((d) => holidayDates('mid-autumn', Number(d.slice(0, 4)))[0])).toEqual(MID_AUTUMN);
    for (const d of HUNG_KINGS) expect(lunarDayOf(d)).toMatchObject({ month: 3, day: 10, leap: false });
  });

  it("matches the Tết notices' days counted in both calendars", () => {
    // 2023: 20/01-26/01/2023 = 29 tháng Chạp Nhâm Dần to mùng 5 Tết Quý Mão
    expect(lunarDayOf('2023-01-20')).toEqual({ year: 2022, month: 12, day: 29, leap: false });
    expect(lunarDayOf('2023-01-26')).toEqual({ year: 2023, month: 1, day: 5, leap: false });
    // 2024: 08/02-14/02/2024 = 29 tháng Chạp Quý Mão to mùng 5 Tết Giáp Thìn
    expect(lunarDayOf('2024-02-08')).toEqual({ year: 2023, month: 12, day: 29, leap: false });
    expect(lunarDayOf('2024-02-14')).toEqual({ year: 2024, month: 1, day: 5, leap: false });
    // 2025: 25/01-02/02/2025 = 26 tháng Chạp Giáp Thìn (a 29-day month: no 30 Tết) to mùng 5 Tết Ất Tỵ
    expect(lunarDayOf('2025-01-25')).toEqual({ year: 2024, month: 12, day: 26, leap: false });
    expect(lunarMonth(2024, 12, false)?.length).toBe(29);
    expect(lunarDayOf('2025-02-02')).toEqual({ year: 2025, month: 1, day: 5, leap: false });
  });

  it('knows the leap months, one a year at most, 2033 in the 11th month', () => {
    // 2020 nhuận tháng 4, 2023 nhuận tháng 2, 2025 nhuận tháng 6, 2028 nhuận tháng 5; 2033: the 11th
    // (GB/T 33661-2017's rule; some calculators wrongly give the 7th or 8th, or two in one year)
    expect([2020, 2023, 2024, 2025, 2026, 2028, 2033].map(leapMonthOf)).toEqual([4, 2, null, 6, null, 5, 11]);
    expect(lunarDayOf('2025-07-25')).toEqual({ year: 2025, month: 6, day: 1, leap: true });
    expect(lunarDayOf('2033-12-22')).toEqual({ year: 2033, month: 11, day: 1, leap: true });
    for (let y = 1970; y <= 2100; y++) {
      const months = lunarMonths(y) ?? [];
      expect(months.filter((m) => m.leap).length).toBeLessThanOrEqual(1);
      expect(months.length).toBe(leapMonthOf(y) ? 13 : 12);
    }
  });

  it('turns every day of 1970-2100 into a lunar day and back', () => {
    const wrong: string[] = [];
    let last = lunarDayOf('1969-12-31');
    for (let ms = Date.UTC(1970, 0, 1); ms < Date.UTC(2101, 0, 1); ms += 86_400_000) {
      const date = new Date(ms).toISOString().slice(0, 10);
      const lunar = lunarDayOf(date);
      // consecutive: the next day of the month, or the 1st of the next month after a 29th or 30th
      const next =
        lunar?.day === 1 ? last?.day === 29 || last?.day === 30 : lunar?.day === (last?.day ?? 0) + 1;
      if (!lunar || solarDateOf(lunar) !== date || !next) wrong.push(date);
      last = lunar;
    }
    expect(wrong).toEqual([]);
  });

  it('refuses days that do not exist instead of moving them to the next month', () => {
    expect(solarDateOf({ year: 2024, month: 12, day: 30, leap: false })).toBeNull(); // 29-day month
    expect(solarDateOf({ year: 2022, month: 12, day: 30, leap: false })).toBe('2023-01-21'); // 30 Tết
    expect(solarDateOf({ year: 2026, month: 6, day: 1, leap: true })).toBeNull(); // no leap month
    expect(solarDateOf({ year: LUNAR_YEARS.last + 1, month: 1, day: 1, leap: false })).toBeNull();
    expect(lunarDayOf('2300-01-01')).toBeNull();
  });
});

describe('the years the calendar knows', () => {
  it('gives every month of every year it claims, as real dates', () => {
    for (let y = LUNAR_YEARS.first; y <= LUNAR_YEARS.last; y++) {
      const months = lunarMonths(y);
      expect(months?.length, `lunar year ${y}`).toBeGreaterThanOrEqual(12);
      for (const m of months ?? []) expect(m.start, `lunar year ${y}`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});
