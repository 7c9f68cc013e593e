// Examples and round-trip properties for the Intl-based timezone helpers, including DST gaps and overlaps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, isoWeekday, utcToZoned, zonedToUtc } from '../../schedules/time.ts';

const iso = (localDate: string, localTime: string, tz: string) =>
  zonedToUtc(localDate, localTime, tz).toISOString();

describe('zonedToUtc', () => {
  it('handles Vietnam (UTC+7, no DST) including the previous UTC day', () => {
    expect(iso('2021-09-23', '06:30', 'Asia/Ho_Chi_Minh')).toBe('2021-09-22T23:30:00.000Z');
    expect(iso('2021-09-23', '17:30:15', 'Asia/Ho_Chi_Minh')).toBe('2021-09-23T10:30:15.000Z');
    expect(iso('2022-01-01', '00:00', 'Asia/Ho_Chi_Minh')).toBe('2021-12-31T17:00:00.000Z');
  });

  it('handles UTC and fractional offsets', () => {
    expect(iso('2024-02-29', '12:34:56', 'UTC')).toBe('2024-02-29T12:34:56.000Z');
    expect(iso('2021-01-01', '00:00', 'Asia/Kathmandu')).toBe('2020-12-31T18:15:00.000Z');
  });

  it('uses the right offset on either side of DST in Europe/Berlin', () => {
    expect(iso('2021-01-15', '12:00', 'Europe/Berlin')).toBe('2021-01-15T11:00:00.000Z');
    expect(iso('2021-07-01', '12:00', 'Europe/Berlin')).toBe('2021-07-01T10:00:00.000Z');
  });

  it('moves a time inside a spring-forward gap forward by the gap (later offset)', () => {
    // Berlin 2021-03-28: 02:00 CET jumps to 03:00 CEST
    expect(iso('2021-03-28', '01:59', 'Europe/Berlin')).toBe('2021-03-28T00:59:00.000Z');
    expect(iso('2021-03-28', '02:00', 'Europe/Berlin')).toBe('2021-03-28T01:00:00.000Z');
    expect(iso('2021-03-28', '02:30', 'Europe/Berlin')).toBe('2021-03-28T01:30:00.000Z');
    expect(iso('2021-03-28', '03:00', 'Europe/Berlin')).toBe('2021-03-28T01:00:00.000Z');
    expect(utcToZoned(zonedToUtc('2021-03-28', '02:30', 'Europe/Berlin'), 'Europe/Berlin').time).toBe(
      '03:30:00',
    );
    expect(iso('2021-03-14', '02:30', 'America/New_York')).toBe('2021-03-14T07:30:00.000Z');
    expect(iso('2021-10-03', '02:30', 'Australia/Sydney')).toBe('2021-10-02T16:30:00.000Z');
  });

  it('picks the earlier instant for a time repeated when clocks go back', () => {
    // Berlin 2021-10-31: 03:00 CEST goes back to 02:00 CET, so 02:00-02:59 happens twice
    expect(iso('2021-10-31', '02:30', 'Europe/Berlin')).toBe('2021-10-31T00:30:00.000Z');
    expect(iso('2021-10-31', '03:00', 'Europe/Berlin')).toBe('2021-10-31T02:00:00.000Z');
    expect(iso('2021-11-07', '01:30', 'America/New_York')).toBe('2021-11-07T05:30:00.000Z');
    expect(iso('2021-04-04', '02:30', 'Australia/Sydney')).toBe('2021-04-03T15:30:00.000Z');
  });

  it('survives a whole skipped day (Samoa, 2011-12-30)', () => {
    expect(utcToZoned(zonedToUtc('2011-12-30', '12:00', 'Pacific/Apia'), 'Pacific/Apia').date).toBe(
      '2011-12-31',
    );
  });

  it('returns a fresh Date each time even when cached', () => {
    const a = zonedToUtc('2021-09-23', '06:30', 'Asia/Ho_Chi_Minh');
    a.setTime(0);
    expect(iso('2021-09-23', '06:30', 'Asia/Ho_Chi_Minh')).toBe('2021-09-22T23:30:00.000Z');
  });

  it('rejects an unknown timezone', () => {
    expect(() => zonedToUtc('2021-09-23', '06:30', 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('utcToZoned', () => {
  it('gives local date, time and ISO weekday', () => {
    expect(utcToZoned(new Date('2021-09-22T23:30:00Z'), 'Asia/Ho_Chi_Minh')).toEqual({
      date: '2021-09-23',
      time: '06:30:00',
      weekday: 4,
    });
    expect(utcToZoned(new Date('2021-09-26T16:59:59Z'), 'Asia/Ho_Chi_Minh')).toEqual({
      date: '2021-09-26',
      time: '23:59:59',
      weekday: 7,
    });
    expect(utcToZoned(new Date('2021-12-31T23:00:00Z'), 'UTC').date).toBe('2021-12-31');
  });

  it('shows the repeated hour twice in Europe/Berlin', () => {
    expect(utcToZoned(new Date('2021-10-31T00:30:00Z'), 'Europe/Berlin').time).toBe('02:30:00');
    expect(utcToZoned(new Date('2021-10-31T01:30:00Z'), 'Europe/Berlin').time).toBe('02:30:00');
  });

  it('round-trips through zonedToUtc (earliest instant when ambiguous)', () => {
    const zones = ['Asia/Ho_Chi_Minh', 'UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2040, 0, 1) / 1000 }),
        fc.constantFrom(...zones),
        (sec, tz) => {
          const instant = new Date(sec * 1000);
          const local = utcToZoned(instant, tz);
          const back = zonedToUtc(local.date, local.time, tz);
          expect(utcToZoned(back, tz)).toEqual(local);
          expect(back.getTime()).toBeLessThanOrEqual(instant.getTime());
          expect(instant.getTime() - back.getTime()).toBeLessThanOrEqual(3_600_000);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('calendar arithmetic', () => {
  it('adds days across month, leap-day and year ends', () => {
    expect(addDays('2021-09-30', 1)).toBe('2021-10-01');
    expect(addDays('2021-12-31', 1)).toBe('2022-01-01');
    expect(addDays('2022-01-01', -1)).toBe('2021-12-31');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2021-03-01', -1)).toBe('2021-02-28');
    expect(addDays('2021-03-27', 2)).toBe('2021-03-29');
    expect(addDays('2021-09-23', 0)).toBe('2021-09-23');
    expect(addDays('2021-09-23', 400)).toBe('2022-10-28');
  });

  it('gives ISO weekdays (1 = Monday, 7 = Sunday)', () => {
    expect(isoWeekday('2021-09-23')).toBe(4);
    expect(isoWeekday('2021-09-26')).toBe(7);
    expect(isoWeekday('2021-09-27')).toBe(1);
    expect(isoWeekday('2000-01-01')).toBe(6);
    expect(isoWeekday('2024-02-29')).toBe(4);
  });
});
