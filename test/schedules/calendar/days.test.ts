// Day rules: which dates a holiday, lunar or solar rule names, and the days that do not exist, refused
// with their reason in English and Vietnamese.
import { describe, expect, it } from 'vitest';
import { DayRule, dayRuleProblems, daysAllow, onDays } from '../../../schedules/calendar/days.ts';
import { HOLIDAY_IDS, HOLIDAYS, holidayDates, holidayName } from '../../../schedules/calendar/holidays.ts';

const YEAR_2026 = { startDate: '2026-01-01', endDate: '2026-12-31' };

describe('the holiday list', () => {
  it('has every holiday once, with a Vietnamese and an English name', () => {
    expect(HOLIDAYS.map((h) => h.id)).toEqual([...HOLIDAY_IDS]);
    for (const h of HOLIDAYS) {
      expect(h.vi).toMatch(/[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i);
      expect(h.en).not.toBe(h.vi);
    }
    expect(holidayName('vi', 'tet')).toBe('Tết Nguyên Đán (mùng 1–3 tháng Giêng âm lịch)');
    expect(holidayName('en', 'unknown-day')).toBe('unknown-day');
  });

  it('gives the official holidays of 2026 on their dates (Labour Code 2019, Article 112)', () => {
    const dates = Object.fromEntries(HOLIDAY_IDS.map((id) => [id, holidayDates(id, 2026)]));
    expect(dates).toEqual({
      'new-year': ['2026-01-01'],
      tet: ['2026-02-17', '2026-02-18', '2026-02-19'],
      'hung-kings': ['2026-04-26'],
      victory: ['2026-04-30'],
      labour: ['2026-05-01'],
      'national-day': ['2026-09-02'],
      lantern: ['2026-03-03'],
      'vu-lan': ['2026-08-27'],
      'mid-autumn': ['2026-09-25'],
    });
  });
});

describe('day rules', () => {
  it('name the days of holidays, lunar dates (every year or once) and solar dates', () => {
    const rule = DayRule.parse({
      holidays: ['tet'],
      lunar: [
        { month: 1, day: 15 },
        { month: 6, day: 1, leap: true, year: 2025 },
      ],
      solar: [{ month: 3, day: 26 }],
    });
    const named = (year: number) => {
      const out: string[] = [];
      for (let ms = Date.UTC(year, 0, 1); ms < Date.UTC(year + 1, 0, 1); ms += 86_400_000) {
        const d = new Date(ms).toISOString().slice(0, 10);
        if (onDays(rule, d)) out.push(d);
      }
      return out;
    };
    expect(named(2025)).toEqual([
      '2025-01-29',
      '2025-01-30',
      '2025-01-31',
      '2025-02-12',
      '2025-03-26',
      '2025-07-25', // 1/6 nhuận Ất Tỵ
    ]);
    expect(named(2026)).toEqual(['2026-02-17', '2026-02-18', '2026-02-19', '2026-03-03', '2026-03-26']);
  });

  it('limit to days and spare days', () => {
    const tet = DayRule.parse({ holidays: ['tet'] });
    expect(daysAllow({}, '2026-02-17')).toBe(true);
    expect(daysAllow({ days: tet }, '2026-02-17')).toBe(true);
    expect(daysAllow({ days: tet }, '2026-02-20')).toBe(false);
    expect(daysAllow({ exceptDays: tet }, '2026-02-17')).toBe(false);
    expect(daysAllow({ exceptDays: tet }, '2026-02-20')).toBe(true);
  });

  it('refuse what no calendar has: an empty rule, 31/4, the 31st lunar day, a 13th month', () => {
    const problems = (v: unknown) => DayRule.safeParse(v).error?.issues.map((i) => i.path.join('.'));
    expect(problems({})).toEqual(['']);
    expect(problems({ solar: [{ month: 4, day: 31 }] })).toEqual(['solar.0.day']);
    expect(problems({ lunar: [{ month: 1, day: 31 }] })).toEqual(['lunar.0.day']);
    expect(problems({ lunar: [{ month: 13, day: 1 }] })).toEqual(['lunar.0.month']);
    expect(problems({ holidays: ['christmas'] })).toEqual(['holidays.0']);
  });
});

describe('days that do not exist in a year', () => {
  it('a 30th of a 29-day lunar month', () => {
    const [p, ...rest] = dayRuleProblems(
      { days: { lunar: [{ month: 12, day: 30, year: 2024 }] } },
      { startDate: '2025-01-01', endDate: '2025-02-28' },
    );
    expect(rest).toEqual([]);
    expect(p).toEqual({
      path: 'days.lunar.0',
      code: 'lunar-day-missing',
      en: 'lunar 30/12 does not exist in lunar year 2024 (Giáp Thìn): that month has 29 days',
      vi: 'Ngày 30/12 âm lịch không có trong năm Giáp Thìn (2024): tháng Chạp năm đó chỉ có 29 ngày',
    });
    // 30 Tết of Nhâm Dần exists (21/01/2023)
    expect(
      dayRuleProblems(
        { days: { lunar: [{ month: 12, day: 30, year: 2022 }] } },
        { startDate: '2023-01-01', endDate: '2023-01-31' },
      ),
    ).toEqual([]);
  });

  it('a leap month that the year lacks, or another than its own', () => {
    const problems = dayRuleProblems(
      { exceptDays: { lunar: [{ month: 6, day: 1, leap: true, year: 2026 }] } },
      YEAR_2026,
    );
    expect(problems).toEqual([
      {
        path: 'exceptDays.lunar.0',
        code: 'leap-month-missing',
        en: 'lunar year 2026 (Bính Ngọ) has no leap month',
        vi: 'Năm Bính Ngọ (2026) không có tháng nhuận',
      },
    ]);
    const [other] = dayRuleProblems(
      { days: { lunar: [{ month: 5, day: 1, leap: true, year: 2025 }] } },
      { startDate: '2025-01-01', endDate: '2025-12-31' },
    );
    expect(other?.en).toBe('lunar year 2025 (Ất Tỵ) has no leap month 5: its leap month is 6');
    expect(other?.vi).toBe('Năm Ất Tỵ (2025) không có tháng 5 nhuận: năm đó nhuận tháng 6');
  });

  it('a recurring date some year of the dates lacks; the same date named once is fine', () => {
    const [p] = dayRuleProblems(
      { days: { lunar: [{ month: 12, day: 30 }] } },
      {
        startDate: '2022-06-01',
        endDate: '2025-12-31',
      },
    );
    expect(p?.code).toBe('lunar-day-missing');
    expect(p?.en).toContain('lunar year 2024 (Giáp Thìn)');
    expect(p?.en).toContain('a recurring date must exist in every lunar year the dates reach (2022 to 2025)');
    expect(p?.vi).toContain('ngày lặp lại hằng năm phải có trong mọi năm âm lịch');
    // an air-time policy has no end: a recurring 30th or leap month is refused, 29/2 too
    const policy = dayRuleProblems(
      {
        days: {
          lunar: [
            { month: 11, day: 30 },
            { month: 4, day: 2, leap: true },
          ],
          solar: [{ month: 2, day: 29 }],
        },
      },
      null,
    );
    expect(policy.map((x) => [x.path, x.code])).toEqual([
      ['days.lunar.0', 'lunar-day-missing'],
      ['days.lunar.1', 'leap-month-missing'],
      ['days.solar.0', 'solar-day-missing'],
    ]);
    expect(
      dayRuleProblems({ days: { holidays: ['tet', 'mid-autumn'], lunar: [{ month: 3, day: 10 }] } }, null),
    ).toEqual([]);
  });

  it('a date named once that falls outside the dates, or dates beyond the known calendar', () => {
    const [outside] = dayRuleProblems({ days: { lunar: [{ month: 3, day: 10, year: 2027 }] } }, YEAR_2026);
    expect(outside).toMatchObject({
      code: 'outside-dates',
      en: 'lunar 10/3 of lunar year 2027 (Đinh Mùi) is 2027-04-16, outside the dates 2026-01-01 to 2026-12-31',
      vi: 'Ngày 10/3 âm lịch năm Đinh Mùi (2027) là ngày 16/04/2027, nằm ngoài khoảng 01/01/2026–31/12/2026',
    });
    const [beyond] = dayRuleProblems(
      { days: { holidays: ['tet'] } },
      { startDate: '2026-01-01', endDate: '2999-12-31' },
    );
    expect(beyond?.code).toBe('lunar-year-unknown');
    // solar holidays need no lunar calendar
    expect(
      dayRuleProblems(
        { days: { holidays: ['national-day'] } },
        { startDate: '2026-01-01', endDate: '2999-12-31' },
      ),
    ).toEqual([]);
  });
});
