// Air-time policies that follow holidays: a cap that spares Tết, a cap kept only at Tết, the policy in
// force day by day, and a refusal decided by the policy of the breach's own day.
import { describe, expect, it } from 'vitest';
import { AirTimePolicy, type Slot } from '../../schedules/model.ts';
import {
  type AreaPolicy,
  breachRefused,
  checkAirTime,
  checkSlotAirTime,
  dailyPolicy,
  effectivePolicy,
} from '../../schedules/policy.ts';
import { zonedToUtc } from '../../schedules/time.ts';
import { compileTimetable } from '../../schedules/timetable/compile.ts';
import { AN_HOA, CLIPS, slotWith, TZ } from './fixtures.ts';

// Tết Bính Ngọ: Tuesday 17 to Thursday 19 February 2026, in ISO week 2026-W08 (16-22 February).
const at = (date: string, time: string) => zonedToUtc(date, time, TZ);
const WEEK = { from: at('2026-02-16', '00:00'), to: at('2026-02-23', '00:00') };
const here = { scope: 'station', id: AN_HOA.id } as const;
const slot = (id: string, startTime: string): Slot =>
  slotWith({ id, startTime, startDate: '2026-01-01', endDate: '2026-12-31', target: here });
const threeADay = [slot('sang', '06:00'), slot('trua', '11:00'), slot('toi', '19:00')];
const timetable = (slots: Slot[]) =>
  compileTimetable({ station: AN_HOA, slots, quietWindows: [], clips: CLIPS }, WEEK);
const policy = (p: object) => AirTimePolicy.parse(p);
const days = (breaches: { localDate: string }[]) => breaches.map((b) => b.localDate);

describe('air-time policies that follow holidays', () => {
  it('spare Tết: three sessions are a breach on ordinary days only', () => {
    const capped = policy({ maxSessionsPerDay: 2, exceptDays: { holidays: ['tet'] } });
    expect(days(checkAirTime(timetable(threeADay), capped, TZ))).toEqual([
      '2026-02-16',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
    ]);
  });

  it('hold only at Tết: one short session a day while families gather', () => {
    const tetOnly = policy({ maxSessionsPerDay: 1, days: { holidays: ['tet'] } });
    expect(days(checkAirTime(timetable(threeADay), tetOnly, TZ))).toEqual([
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
    ]);
  });

  it('do not count spared days in the week: five days a week, Tết aside', () => {
    const fiveDays = policy({ maxDaysPerWeek: 5 });
    const [breach] = checkAirTime(timetable(threeADay), fiveDays, TZ);
    expect(breach).toMatchObject({ code: 'days-per-week', actual: 7, limit: 5 });
    const spared = policy({ maxDaysPerWeek: 5, exceptDays: { holidays: ['tet'] } });
    expect(checkAirTime(timetable(threeADay), spared, TZ)).toEqual([]);
    const sparedOnce = policy({ maxDaysPerWeek: 3, exceptDays: { lunar: [{ month: 1, day: 1 }] } });
    expect(checkAirTime(timetable(threeADay), sparedOnce, TZ)[0]).toMatchObject({
      code: 'days-per-week',
      actual: 6,
      localDates: ['2026-02-16', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22'],
    });
  });

  it('combine day by day: the everyday cap, and at Tết the Tết cap instead', () => {
    const areas: AreaPolicy[] = [
      { target: here, policy: policy({ maxSessionsPerDay: 2, exceptDays: { holidays: ['tet'] } }) },
      { target: here, policy: policy({ maxSessionsPerDay: 3, days: { holidays: ['tet'] } }) },
    ];
    expect(effectivePolicy(areas, AN_HOA)).toEqual({ enforcement: 'warn', maxSessionsPerDay: 2 });
    expect(effectivePolicy(areas, AN_HOA, '2026-02-17')).toEqual({
      enforcement: 'warn',
      maxSessionsPerDay: 3,
    });
    const daily = dailyPolicy(areas, AN_HOA);
    if (!daily) throw new Error('a policy reaches the station');
    expect(days(checkAirTime(timetable(threeADay), daily, TZ))).toEqual([
      '2026-02-16',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
    ]);
    expect(dailyPolicy(areas, { ...AN_HOA, id: 'elsewhere' })).toBeNull();
  });

  it('refuse a slot by the policy of the days it breaches, when it is saved', () => {
    const areas: AreaPolicy[] = [
      { target: here, policy: policy({ maxSessionsPerDay: 2, enforcement: 'warn' }) },
      {
        target: here,
        policy: policy({ maxSessionsPerDay: 2, enforcement: 'refuse', days: { holidays: ['tet'] } }),
      },
    ];
    const daily = dailyPolicy(areas, AN_HOA);
    if (!daily) throw new Error('a policy reaches the station');
    const input = { station: AN_HOA, slots: threeADay.slice(0, 2), quietWindows: [], clips: CLIPS };
    const breaches = checkSlotAirTime(input, slot('toi', '19:00'), daily, {
      now: at('2026-02-16', '00:00'),
      horizonDays: 7,
    });
    expect(breaches.length).toBeGreaterThan(3);
    const refused = breaches.filter((b) => breachRefused(b, daily)).map((b) => b.localDate);
    expect(refused).toEqual(['2026-02-17', '2026-02-18', '2026-02-19']);
  });
});
