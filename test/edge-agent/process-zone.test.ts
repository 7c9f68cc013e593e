// The agent reads its wall clocks from Date in the station's zone (process TZ; schedules/time.ts, useProcessZone)
// instead of Intl.DateTimeFormat, to spare a Pi Zero ICU's locale data. Both must give the same answers: here
// across the DST transitions of a zone that has them, against Intl computed independently.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useProcessZone, utcToZoned, zonedToUtc } from '../../schedules/time.ts';

const ZONE = 'Europe/Berlin';
const viaIntl = (ms: number) => {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE,
    hourCycle: 'h23',
    ...{
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    },
  });
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}` };
};

describe('wall clocks read from the process zone', () => {
  const saved = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = ZONE;
    useProcessZone(ZONE);
  });
  afterAll(() => {
    useProcessZone(null);
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('give the date and time Intl gives, every 17 minutes over the spring and autumn transitions', () => {
    for (const [from, to] of [
      ['2021-03-27T00:00:00Z', '2021-03-29T00:00:00Z'],
      ['2021-10-30T00:00:00Z', '2021-11-01T00:00:00Z'],
    ] as const) {
      for (let ms = Date.parse(from); ms < Date.parse(to); ms += 17 * 60_000 + 13_000) {
        const { date, time } = utcToZoned(new Date(ms), ZONE);
        expect({ date, time }).toEqual(viaIntl(ms));
      }
    }
  });

  it('place local times as documented: a skipped time moves forward, a repeated one is the earlier', () => {
    expect(zonedToUtc('2021-03-28', '02:30', ZONE).toISOString()).toBe('2021-03-28T01:30:00.000Z');
    expect(zonedToUtc('2021-10-31', '02:30', ZONE).toISOString()).toBe('2021-10-31T00:30:00.000Z');
    expect(zonedToUtc('2021-07-01', '07:00', ZONE).toISOString()).toBe('2021-07-01T05:00:00.000Z');
  });

  it('leave other zones to Intl', () => {
    expect(utcToZoned(new Date('2025-03-03T00:00:00Z'), 'Asia/Ho_Chi_Minh')).toMatchObject({
      date: '2025-03-03',
      time: '07:00:00',
    });
  });
});
