// Property tests for air-time checks: justified breaches, monotone limits, order and skipped entries ignored.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AirTimePolicy, TimetableEntry } from '../../schedules/model.ts';
import { checkAirTime, isoWeek, type PolicyBreach } from '../../schedules/policy.ts';
import { utcToZoned, zonedToUtc } from '../../schedules/time.ts';
import { NUM_RUNS, shuffled } from './arbitraries.ts';

const MINUTE = 60_000;
const ZONES = ['Asia/Ho_Chi_Minh', 'Europe/Berlin', 'America/New_York'];

// Entries within three weeks around a New York/Berlin DST change, clustered on a few days and in the
// mornings so that days fill up and sessions form.
const entriesArb = (tz: string) =>
  fc
    .array(
      fc.record({
        day: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 6 }), fc.constantFrom(0, 1)),
        minute: fc.oneof(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 360, max: 480 })),
        length: fc.integer({ min: 1, max: 40 }),
        scheduled: fc.boolean(),
      }),
      { maxLength: 40 },
    )
    .map((raw) => {
      const base = zonedToUtc('2024-03-04', '00:00', tz).getTime();
      return raw.map(({ day, minute, length, scheduled }, i): TimetableEntry => {
        const start = base + day * 86_400_000 + minute * MINUTE;
        const e = {
          id: `e${String(i).padStart(2, '0')}`,
          slotId: `s${i}`,
          campaignId: null,
          stationId: 's1',
          clipIds: ['c1'],
          localDate: utcToZoned(new Date(start), tz).date,
          localTime: '00:00',
          startsAt: new Date(start).toISOString(),
          endsAt: new Date(start + length * MINUTE).toISOString(),
        };
        return scheduled
          ? { ...e, status: 'scheduled' }
          : { ...e, status: 'skipped', skip: { code: 'clip-unknown', clipId: 'x' } };
      });
    });

const policyArb = fc.record({
  maxSessionsPerDay: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  maxMinutesPerSession: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
  maxDaysPerWeek: fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
  sessionGapMinutes: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
  enforcement: fc.constantFrom<'warn' | 'refuse'>('warn', 'refuse'),
});
const caseArb = fc
  .constantFrom(...ZONES)
  .chain((tz) => fc.record({ tz: fc.constant(tz), entries: entriesArb(tz), policy: policyArb }));

const key = (b: PolicyBreach) =>
  `${b.code} ${b.code === 'days-per-week' ? b.isoWeek : b.code === 'minutes-per-session' ? b.sessionStart : b.localDate}`;
const localDate = (e: TimetableEntry, tz: string) => utcToZoned(new Date(e.startsAt), tz).date;

describe('checkAirTime properties', () => {
  it('reports nothing for a policy without limits', () => {
    fc.assert(
      fc.property(caseArb, ({ tz, entries, policy }) => {
        expect(checkAirTime(entries, { enforcement: policy.enforcement }, tz)).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('justifies every breach by the scheduled entries of its day, session or week', () => {
    fc.assert(
      fc.property(caseArb, ({ tz, entries, policy }) => {
        const scheduled = entries.filter((e) => e.status === 'scheduled');
        const byId = new Map(scheduled.map((e) => [e.id, e]));
        for (const b of checkAirTime(entries, policy, tz)) {
          expect(b.actual).toBeGreaterThan(b.limit);
          for (const id of b.entryIds) expect(byId.has(id)).toBe(true);
          const ids = [...b.entryIds].sort();
          if (b.code === 'sessions-per-day') {
            expect(b.limit).toBe(policy.maxSessionsPerDay);
            expect(ids).toEqual(scheduled.filter((e) => localDate(e, tz) === b.localDate).map((e) => e.id));
          } else if (b.code === 'days-per-week') {
            expect(b.limit).toBe(policy.maxDaysPerWeek);
            const week = scheduled.filter((e) => isoWeek(localDate(e, tz)) === b.isoWeek);
            expect(ids).toEqual(week.map((e) => e.id));
            expect(b.localDates).toEqual([...new Set(week.map((e) => localDate(e, tz)))].sort());
          } else {
            expect(b.limit).toBe(policy.maxMinutesPerSession);
            const mine = ids.map((id) => byId.get(id) as TimetableEntry);
            const soundMs = mine.reduce((sum, e) => sum + Date.parse(e.endsAt) - Date.parse(e.startsAt), 0);
            expect(soundMs).toBeGreaterThan(b.limit * MINUTE);
            for (const e of mine) expect(localDate(e, tz)).toBe(b.localDate);
            expect(b.sessionStart).toBe(mine.map((e) => e.startsAt).sort()[0]);
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('ignores skipped entries and input order', () => {
    const arb = caseArb.chain((c) => fc.tuple(fc.constant(c), shuffled(c.entries)));
    fc.assert(
      fc.property(arb, ([{ tz, entries, policy }, reordered]) => {
        const breaches = checkAirTime(entries, policy, tz);
        expect(checkAirTime(reordered, policy, tz)).toEqual(breaches);
        expect(
          checkAirTime(
            entries.filter((e) => e.status === 'scheduled'),
            policy,
            tz,
          ),
        ).toEqual(breaches);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('never adds a breach when a limit is raised', () => {
    const arb = caseArb.chain((c) =>
      fc.tuple(fc.constant(c), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 30 })),
    );
    fc.assert(
      fc.property(arb, ([{ tz, entries, policy }, days, minutes]) => {
        const looser: AirTimePolicy = {
          ...policy,
          maxSessionsPerDay:
            policy.maxSessionsPerDay === undefined ? undefined : policy.maxSessionsPerDay + days,
          maxDaysPerWeek: policy.maxDaysPerWeek === undefined ? undefined : policy.maxDaysPerWeek + days,
          maxMinutesPerSession:
            policy.maxMinutesPerSession === undefined ? undefined : policy.maxMinutesPerSession + minutes,
        };
        const strict = new Set(checkAirTime(entries, policy, tz).map(key));
        for (const b of checkAirTime(entries, looser, tz)) expect(strict.has(key(b))).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('keeps over-long sessions and over-full weeks when entries are added', () => {
    // Sessions a day is not monotone: an added entry can bridge two sessions into one.
    const arb = caseArb.chain((c) => fc.tuple(fc.constant(c), entriesArb(c.tz)));
    fc.assert(
      fc.property(arb, ([{ tz, entries, policy }, extra]) => {
        const more = [...entries, ...extra.map((e) => ({ ...e, id: `x${e.id}` }))];
        const before = checkAirTime(entries, policy, tz);
        const after = checkAirTime(more, policy, tz);
        const longIds = (bs: PolicyBreach[]) =>
          new Set(bs.flatMap((b) => (b.code === 'minutes-per-session' ? b.entryIds : [])));
        const stillLong = longIds(after);
        for (const id of longIds(before)) expect(stillLong.has(id)).toBe(true);
        const weeks = new Map(
          after.flatMap((b) => (b.code === 'days-per-week' ? [[b.isoWeek, b.actual]] : [])),
        );
        for (const b of before) {
          if (b.code === 'days-per-week') expect(weeks.get(b.isoWeek)).toBeGreaterThanOrEqual(b.actual);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
