// Properties of day rules in the compiler: a window limited to some days blocks exactly where the same
// window without the rule blocks and the rule names the day; sparing those days blocks exactly elsewhere.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DayRule, onDays } from '../../../schedules/calendar/days.ts';
import { HOLIDAY_IDS } from '../../../schedules/calendar/holidays.ts';
import type { QuietWindow, TimetableEntry } from '../../../schedules/model.ts';
import { zonedToUtc } from '../../../schedules/time.ts';
import { compileTimetable } from '../../../schedules/timetable/compile.ts';
import { NUM_RUNS } from '../arbitraries.ts';
import { AN_HOA, CLIPS, quietWith, slotWith, TZ } from '../fixtures.ts';

const here = { scope: 'station', id: AN_HOA.id };
const YEARS = { startDate: '2020-01-01', endDate: '2035-12-31', target: here };

const rule: fc.Arbitrary<DayRule> = fc
  .record({
    holidays: fc.subarray([...HOLIDAY_IDS]),
    lunar: fc.array(
      fc.record({ month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 29 }) }),
      { maxLength: 4 },
    ),
    solar: fc.array(
      fc.record({ month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) }),
      {
        maxLength: 3,
      },
    ),
  })
  .filter((r) => r.holidays.length + r.lunar.length + r.solar.length > 0);

/** A 60-day stretch starting somewhere in 2020-2035. */
const stretch = fc.integer({ min: 0, max: 15 * 365 }).map((n) => {
  const from = new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  return {
    from: zonedToUtc(from, '00:00', TZ),
    to: new Date(zonedToUtc(from, '00:00', TZ).getTime() + 60 * 86_400_000),
  };
});

const blocked = (entries: TimetableEntry[]) =>
  new Set(entries.filter((e) => e.status === 'skipped').map((e) => e.localDate));

describe('day rules in the compiler (property)', () => {
  it('block where the plain window blocks and the rule allows, whatever the rule', () => {
    const morning = slotWith({ ...YEARS, id: 'sang', startTime: '06:30' });
    fc.assert(
      fc.property(rule, stretch, (r, range) => {
        const window = (extra: object): QuietWindow =>
          quietWith({
            ...YEARS,
            id: 'qw',
            startTime: '06:00',
            endTime: '07:00',
            weekdays: [1, 2, 3, 5, 6],
            ...extra,
          });
        const compile = (w: QuietWindow) =>
          compileTimetable({ station: AN_HOA, slots: [morning], quietWindows: [w], clips: CLIPS }, range);
        const plain = compile(window({}));
        const dates = plain.map((e) => e.localDate);
        const always = blocked(plain);
        const only = blocked(compile(window({ days: r })));
        const except = blocked(compile(window({ exceptDays: r })));
        for (const d of dates) {
          expect(only.has(d)).toBe(always.has(d) && onDays(r, d));
          expect(except.has(d)).toBe(always.has(d) && !onDays(r, d));
        }
      }),
      // three 60-day compiles a run: a third of the usual runs keeps it near a second
      { numRuns: Math.ceil(NUM_RUNS / 3) },
    );
  });
});
