// Example tests for air-time policies: Hanoi's 2021 caps, area precedence and the check when a slot is saved.
import { describe, expect, it } from 'vitest';
import { AirTimePolicy, type Slot, type StationInfo } from '../../schedules/model.ts';
import {
  checkAirTime,
  checkSlotAirTime,
  effectivePolicy,
  isoWeek,
  wholeWeeks,
} from '../../schedules/policy.ts';
import { zonedToUtc } from '../../schedules/time.ts';
import { type CompileInput, compileTimetable } from '../../schedules/timetable/compile.ts';
import { AN_HOA, CLIPS, slotWith, TZ } from './fixtures.ts';

const urban = AN_HOA;
const rural: StationInfo = {
  id: 'tram-my-khanh',
  name: 'Mỹ Khánh',
  areaPath: ['tp-can-tho', 'h-phong-dien', 'x-my-khanh'],
  timezone: TZ,
};
const clips = CLIPS;
const at = (date: string, time: string) => zonedToUtc(date, time, TZ);
const slot = (over: Record<string, unknown>): Slot => slotWith({ weekdays: [1, 2, 3, 4, 5], ...over });
// Hanoi 2021: two sessions a day, five days a week, 15 minutes a session in urban wards
const HANOI = AirTimePolicy.parse({
  maxSessionsPerDay: 2,
  maxDaysPerWeek: 5,
  maxMinutesPerSession: 15,
  enforcement: 'refuse',
});
// Monday 2021-09-20 .. Sunday 2021-09-26 is ISO week 38
const WEEK = { from: at('2021-09-20', '00:00'), to: at('2021-09-27', '00:00') };
const timetable = (slots: Slot[], station = urban) =>
  compileTimetable({ station, slots, quietWindows: [], clips }, WEEK);
const morning = slot({ id: 'sang', startTime: '06:00' });
const afternoon = slot({ id: 'chieu', startTime: '17:00' });

describe('checkAirTime', () => {
  it('accepts a morning and an afternoon session on weekdays', () => {
    expect(checkAirTime(timetable([morning, afternoon]), HANOI, TZ)).toEqual([]);
  });

  it('reports a third session on a day, naming all that day’s entries', () => {
    const evening = slot({ id: 'toi', startTime: '19:00', weekdays: [5], clipIds: ['clip-4p'] });
    expect(checkAirTime(timetable([morning, afternoon, evening]), HANOI, TZ)).toEqual([
      {
        code: 'sessions-per-day',
        localDate: '2021-09-24',
        limit: 2,
        actual: 3,
        entryIds: ['sang@2021-09-24', 'chieu@2021-09-24', 'toi@2021-09-24'],
        message: '2021-09-24: 3 sessions, at most 2 a day',
        messageVi: 'Ngày 24/09/2021: 3 buổi phát, vượt mức tối đa 2 buổi một ngày',
      },
    ]);
  });

  it('reports a 20-minute session in an urban ward, not in a rural commune allowed 45', () => {
    const more = slot({ id: 'sang-2', startTime: '06:15', weekdays: [1] }); // 5 minutes after 'sang' ends
    const entries = timetable([morning, more]);
    expect(checkAirTime(entries, HANOI, TZ)).toEqual([
      {
        code: 'minutes-per-session',
        localDate: '2021-09-20',
        sessionStart: at('2021-09-20', '06:00').toISOString(),
        sessionEnd: at('2021-09-20', '06:25').toISOString(),
        limit: 15,
        actual: 20, // minutes of sound; the 5-minute pause does not count
        entryIds: ['sang@2021-09-20', 'sang-2@2021-09-20'],
        message: '2021-09-20 06:00: a 20-minute session, at most 15 minutes',
        messageVi: 'Ngày 20/09/2021 lúc 06:00: buổi phát dài 20 phút, vượt mức tối đa 15 phút một buổi',
      },
    ]);
    expect(checkAirTime(entries, { ...HANOI, maxMinutesPerSession: 45 }, TZ)).toEqual([]);
  });

  it('splits sessions at the gap setting (30 minutes by default)', () => {
    const later = slot({ id: 'sang-2', startTime: '06:40', weekdays: [1], clipIds: ['clip-4p'] }); // 30 min gap
    const entries = timetable([morning, afternoon, later]);
    expect(checkAirTime(entries, HANOI, TZ).map((b) => b.code)).toEqual(['sessions-per-day']);
    expect(checkAirTime(entries, { ...HANOI, sessionGapMinutes: 31 }, TZ)).toEqual([]);
  });

  it('reports six days a week, with the week and its days', () => {
    const saturday = slot({ id: 'thu-bay', startTime: '08:00', weekdays: [6], clipIds: ['clip-4p'] });
    const [breach, ...rest] = checkAirTime(timetable([morning, saturday]), HANOI, TZ);
    expect(rest).toEqual([]);
    expect(breach).toMatchObject({
      code: 'days-per-week',
      localDate: '2021-09-20',
      isoWeek: '2021-W38',
      localDates: ['2021-09-20', '2021-09-21', '2021-09-22', '2021-09-23', '2021-09-24', '2021-09-25'],
      limit: 5,
      actual: 6,
      message: 'week 2021-W38: on air 6 days, at most 5 a week',
      messageVi: 'Tuần từ 20/09/2021: phát 6 ngày, vượt mức tối đa 5 ngày một tuần',
    });
    expect(breach?.entryIds).toHaveLength(6);
  });

  it('ignores skipped entries and reports nothing without limits', () => {
    const clash = slot({ id: 'trung', startTime: '06:05', weekdays: [1, 2, 3, 4, 5, 6, 7] }); // overlaps 'sang'
    const entries = timetable([morning, afternoon, clash]);
    expect(entries.filter((e) => e.status === 'skipped')).toHaveLength(5);
    expect(checkAirTime(entries, { ...HANOI, maxDaysPerWeek: 7 }, TZ)).toEqual([]);
    expect(checkAirTime(entries, { enforcement: 'warn' }, TZ)).toEqual([]);
  });
});

describe('weeks', () => {
  it('numbers ISO weeks across year ends', () => {
    expect(isoWeek('2021-09-20')).toBe('2021-W38');
    expect(isoWeek('2021-01-03')).toBe('2020-W53');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
    expect(isoWeek('2026-01-01')).toBe('2026-W01');
  });

  it('widens a range to whole local weeks', () => {
    const w = wholeWeeks(at('2021-09-22', '10:00'), at('2021-09-27', '00:00'), TZ);
    expect(w).toEqual(WEEK);
    expect(wholeWeeks(at('2021-09-26', '23:00'), at('2021-09-27', '00:01'), TZ)).toEqual({
      from: WEEK.from,
      to: at('2021-10-04', '00:00'),
    });
  });
});

describe('effectivePolicy', () => {
  const city = { target: { scope: 'city' as const }, policy: HANOI };
  const ruralWards = {
    target: { scope: 'ward' as const, id: 'x-my-khanh' },
    policy: AirTimePolicy.parse({ maxMinutesPerSession: 45 }),
  };

  it('takes each limit from the most specific area that sets it; refusal is kept', () => {
    expect(effectivePolicy([ruralWards, city], urban)).toEqual(HANOI);
    expect(effectivePolicy([ruralWards, city], rural)).toEqual({ ...HANOI, maxMinutesPerSession: 45 });
    expect(effectivePolicy([ruralWards], urban)).toBeNull();
  });

  it('combines rules of the same level to the stricter one', () => {
    const a = {
      target: { scope: 'district' as const, id: 'q-ninh-kieu' },
      policy: AirTimePolicy.parse({ maxDaysPerWeek: 6 }),
    };
    const b = {
      target: { scope: 'district' as const, id: 'q-ninh-kieu' },
      policy: AirTimePolicy.parse({ maxDaysPerWeek: 4, sessionGapMinutes: 10 }),
    };
    expect(effectivePolicy([a, b], urban)).toEqual({
      enforcement: 'warn',
      maxDaysPerWeek: 4,
      sessionGapMinutes: 10,
    });
  });
});

describe('checkSlotAirTime (saving a slot)', () => {
  const input: CompileInput = { station: urban, slots: [morning, afternoon], quietWindows: [], clips };
  const now = at('2021-09-22', '12:00');

  it('reports the sessions a new evening slot adds, from now on, in whole weeks', () => {
    const evening = slot({ id: 'toi', startTime: '19:00', weekdays: [3, 5], clipIds: ['clip-4p'] });
    const breaches = checkSlotAirTime(input, evening, HANOI, { now });
    expect(breaches.map((b) => `${b.code} ${b.localDate}`)).toEqual([
      'sessions-per-day 2021-09-22',
      'sessions-per-day 2021-09-24',
      'sessions-per-day 2021-09-29',
      'sessions-per-day 2021-10-01',
    ]);
    expect(breaches[0]?.entryIds).toContain('toi@2021-09-22');
  });

  it('accepts a slot that joins a session within its minutes, refuses one that overruns them', () => {
    const short = slot({ id: 'them', startTime: '06:12', clipIds: ['clip-4p'] }); // 14 minutes in all
    expect(checkSlotAirTime(input, short, HANOI, { now })).toEqual([]);
    const long = slot({ id: 'them', startTime: '06:12' });
    const breaches = checkSlotAirTime(input, long, HANOI, { now });
    expect(new Set(breaches.map((b) => b.code))).toEqual(new Set(['minutes-per-session']));
    expect(breaches.every((b) => b.actual === 20)).toBe(true);
  });

  it('reports a sixth day per week, but not a breach it does not take part in or worsen', () => {
    const saturday = slot({ id: 'thu-bay', startTime: '08:00', weekdays: [6], clipIds: ['clip-4p'] });
    expect(checkSlotAirTime(input, saturday, HANOI, { now }).map((b) => b.code)).toEqual([
      'days-per-week',
      'days-per-week',
    ]);
    const crowded = { ...input, slots: [...input.slots, saturday] };
    const joins = slot({ id: 'them', startTime: '17:12', clipIds: ['clip-4p'] });
    expect(checkSlotAirTime(crowded, joins, HANOI, { now })).toEqual([]);
  });

  it('replaces the saved version of an edited slot and skips slots elsewhere or in the past', () => {
    const edited = slot({ id: 'chieu', startTime: '06:12', clipIds: ['clip-4p'] });
    expect(checkSlotAirTime(input, edited, HANOI, { now })).toEqual([]);
    const elsewhere = slot({ id: 'x', startTime: '19:00', target: { scope: 'ward', id: 'x-my-khanh' } });
    expect(checkSlotAirTime(input, elsewhere, HANOI, { now })).toEqual([]);
    const past = slot({ id: 'x', startTime: '19:00', endDate: '2021-09-21' });
    expect(checkSlotAirTime(input, past, HANOI, { now })).toEqual([]);
    const evening = slot({ id: 'toi', startTime: '19:00' });
    expect(checkSlotAirTime(input, evening, HANOI, { now, horizonDays: 1 }).map((b) => b.localDate)).toEqual([
      '2021-09-22',
      '2021-09-23',
      '2021-09-24', // whole weeks: the rest of the week is checked too
    ]);
  });
});
