// Property tests for the timetable compiler: quiet windows hold, no overlaps, determinism, completeness.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CompileInput, type CompileOptions, compileTimetable } from '../../schedules/compile.ts';
import { QuietWindow, Slot, type StationInfo, type TimetableEntry } from '../../schedules/model.ts';
import { targetIncludes } from '../../schedules/targets.ts';
import { addDays, isoWeekday, zonedToUtc } from '../../schedules/time.ts';

const NUM_RUNS = 300;
const ZONES = ['Asia/Ho_Chi_Minh', 'Europe/Berlin', 'America/New_York', 'UTC'];
// Some bases sit a few days before Berlin/New York DST changes so gaps and repeated hours get exercised.
const BASES = ['2021-09-20', '2024-03-05', '2024-03-25', '2024-10-22', '2024-12-25'];
const SPAN_DAYS = 45; // generated dates stay within base-2 .. base+30

const pad = (n: number) => String(n).padStart(2, '0');
// Hours cluster on a few values (2 is inside Berlin/New York DST changes) so slots collide and windows bite.
const timeArb = fc
  .tuple(
    fc.oneof(fc.integer({ min: 0, max: 23 }), { arbitrary: fc.constantFrom(2, 6, 23), weight: 2 }),
    fc.constantFrom(0, 10, 30, 59),
    fc.option(fc.constantFrom(0, 30), { nil: undefined }),
  )
  .map(([h, m, s]) => (s === undefined ? `${pad(h)}:${pad(m)}` : `${pad(h)}:${pad(m)}:${pad(s)}`));
const targetArb = fc.oneof(
  { arbitrary: fc.constant({ scope: 'city' }), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      { scope: 'district', id: 'd1' },
      { scope: 'district', id: 'd2' },
      { scope: 'ward', id: 'w1' },
      { scope: 'ward', id: 'w2' },
      { scope: 'station', id: 's1' },
      { scope: 'station', id: 's2' },
    ),
    weight: 3,
  },
);
const weekdaysArb = fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 });
const dateRangeArb = (base: string) =>
  fc
    .tuple(fc.integer({ min: -2, max: 7 }), fc.integer({ min: 0, max: 20 }))
    .map(([start, length]) => ({ startDate: addDays(base, start), endDate: addDays(base, start + length) }));

const slotArb = (base: string) =>
  fc
    .record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
      // c4 never exists, so some slots hit clip-unknown
      clipIds: fc.array(
        fc.oneof({ arbitrary: fc.constantFrom('c1', 'c2', 'c3'), weight: 12 }, fc.constant('c4')),
        {
          minLength: 1,
          maxLength: 3,
        },
      ),
      startTime: timeArb,
      weekdays: weekdaysArb,
      range: dateRangeArb(base),
      target: targetArb,
      priority: fc.integer({ min: 0, max: 3 }),
    })
    .map(({ range, ...s }) => Slot.parse({ ...s, ...range }));

const quietArb = (base: string) =>
  fc
    .record({
      id: fc.constantFrom('q1', 'q2', 'q3', 'q4', 'q5'),
      weekdays: weekdaysArb,
      startTime: timeArb,
      endTime: timeArb,
      range: dateRangeArb(base),
      reason: fc.constantFrom('online-class', 'national-relay', 'local-event', 'other'),
      target: targetArb,
    })
    .map(({ range, ...w }) => QuietWindow.parse({ ...w, ...range }));

// Round durations make entries end exactly on, or just before, another slot's start: margins then decide.
const durationArb = fc.oneof(
  fc.integer({ min: 1_000, max: 1_200_000 }),
  fc.constantFrom(1_000, 590_000, 600_000, 1_200_000),
);
const clipsArb = fc.tuple(
  ...['c1', 'c2', 'c3'].map((id) => durationArb.map((durationMs) => ({ id, durationMs }))),
);

const marginArb = fc.oneof(fc.integer({ min: 0, max: 300_000 }), fc.constantFrom(0, 10_000, 60_000));

interface Case {
  base: string;
  input: CompileInput;
  options: CompileOptions;
}
const caseArb: fc.Arbitrary<Case> = fc
  .tuple(fc.constantFrom(...BASES), fc.constantFrom(...ZONES))
  .chain(([base, timezone]) =>
    fc.record({
      base: fc.constant(base),
      input: fc.record({
        station: fc.constant<StationInfo>({
          id: 's1',
          name: 'Trạm s1',
          district: 'd1',
          ward: 'w1',
          timezone,
        }),
        slots: fc.uniqueArray(slotArb(base), { selector: (s) => s.id, minLength: 1, maxLength: 8 }),
        quietWindows: fc.uniqueArray(quietArb(base), { selector: (w) => w.id, maxLength: 4 }),
        clips: clipsArb,
      }),
      options: fc
        .record({
          day: fc.integer({ min: 0, max: 6 }),
          time: timeArb,
          lengthMs: fc.integer({ min: 0, max: 10 * 86_400_000 }),
          leadMs: fc.option(marginArb, { nil: undefined }),
          tailMs: fc.option(marginArb, { nil: undefined }),
        })
        .map(({ day, time, lengthMs, leadMs, tailMs }) => {
          const from = zonedToUtc(addDays(base, day), time, timezone);
          return { from, to: new Date(from.getTime() + lengthMs), leadMs, tailMs };
        }),
    }),
  );

const ms = (iso: string) => Date.parse(iso);
const intersects = (a: [number, number], b: [number, number]) => a[0] < b[1] && b[0] < a[1];
const onAir = (e: TimetableEntry, o: CompileOptions): [number, number] => [
  ms(e.startsAt) - (o.leadMs ?? 0),
  ms(e.endsAt) + (o.tailMs ?? 0),
];
const normal = (t: string) => (t.length === 5 ? `${t}:00` : t);

function* datesAround(base: string) {
  for (let i = -5; i < SPAN_DAYS; i++) yield addDays(base, i);
}

/** Straightforward re-expansion of the applicable quiet windows, for checking the compiler against. */
function quietIntervals({ base, input }: Case) {
  const out: { id: string; span: [number, number] }[] = [];
  for (const w of input.quietWindows) {
    if (!targetIncludes(w.target, input.station)) continue;
    for (const date of datesAround(base)) {
      if (!w.weekdays.includes(isoWeekday(date)) || date < w.startDate || date > w.endDate) continue;
      const endDate = normal(w.endTime) <= normal(w.startTime) ? addDays(date, 1) : date;
      const start = zonedToUtc(date, w.startTime, input.station.timezone).getTime();
      const end = zonedToUtc(endDate, w.endTime, input.station.timezone).getTime();
      out.push({ id: w.id, span: [start, end] });
    }
  }
  return out;
}

const shuffled = <T>(items: T[]) =>
  fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length });

describe('compileTimetable properties', () => {
  it('(a) never schedules into an applicable quiet window, and every skip is justified', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const entries = compileTimetable(c.input, c.options);
        const quiet = quietIntervals(c);
        const known = new Set(c.input.clips.map((k) => k.id));
        const byId = new Map(entries.map((e) => [e.id, e]));
        const priority = new Map(c.input.slots.map((s) => [s.id, s.priority]));
        for (const e of entries) {
          const missing = e.clipIds.find((id) => !known.has(id));
          if (e.status === 'scheduled') {
            expect(missing).toBeUndefined();
            for (const q of quiet)
              expect(intersects(onAir(e, c.options), q.span), `${e.id} vs ${q.id}`).toBe(false);
          } else if (e.skip.code === 'clip-unknown') {
            expect(e.skip.clipId).toBe(missing);
          } else if (e.skip.code === 'quiet-window') {
            const { quietWindowId } = e.skip;
            expect(quiet.some((q) => q.id === quietWindowId && intersects(onAir(e, c.options), q.span))).toBe(
              true,
            );
          } else {
            // first come in time wins; priority only breaks ties at the same instant
            const winner = byId.get(e.skip.entryId);
            expect(winner?.status).toBe('scheduled');
            if (!winner) continue;
            expect(intersects(onAir(e, c.options), onAir(winner, c.options))).toBe(true);
            expect(ms(winner.startsAt)).toBeLessThanOrEqual(ms(e.startsAt));
            if (winner.startsAt === e.startsAt) {
              expect(priority.get(winner.slotId)).toBeGreaterThanOrEqual(priority.get(e.slotId) ?? 0);
            }
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('(b) never lets two scheduled entries overlap on air', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const scheduled = compileTimetable(c.input, c.options).filter((e) => e.status === 'scheduled');
        for (let i = 0; i < scheduled.length; i++) {
          for (let j = i + 1; j < scheduled.length; j++) {
            const [a, b] = [scheduled[i], scheduled[j]] as [TimetableEntry, TimetableEntry];
            expect(intersects(onAir(a, c.options), onAir(b, c.options)), `${a.id} vs ${b.id}`).toBe(false);
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('(c) is deterministic and independent of input array order', () => {
    const arb = caseArb.chain((c) =>
      fc.tuple(
        fc.constant(c),
        shuffled(c.input.slots),
        shuffled(c.input.quietWindows),
        shuffled(c.input.clips),
      ),
    );
    fc.assert(
      fc.property(arb, ([c, slots, quietWindows, clips]) => {
        const first = compileTimetable(c.input, c.options);
        expect(compileTimetable(c.input, c.options)).toEqual(first);
        expect(compileTimetable({ ...c.input, slots, quietWindows, clips }, c.options)).toEqual(first);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('(d) keeps every entry within [from, to), sorted by start then id', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const entries = compileTimetable(c.input, c.options);
        for (const e of entries) {
          expect(ms(e.startsAt)).toBeGreaterThanOrEqual(c.options.from.getTime());
          expect(ms(e.startsAt)).toBeLessThan(c.options.to.getTime());
        }
        for (let i = 1; i < entries.length; i++) {
          const [a, b] = [entries[i - 1], entries[i]] as [TimetableEntry, TimetableEntry];
          expect(ms(a.startsAt) < ms(b.startsAt) || (a.startsAt === b.startsAt && a.id < b.id)).toBe(true);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('(e) lists every applicable (slot, local date) in range exactly once, with the right times', () => {
    fc.assert(
      fc.property(caseArb, ({ base, input, options }) => {
        const durations = new Map(input.clips.map((k) => [k.id, k.durationMs]));
        const expected = new Map<string, [number, number]>();
        for (const s of input.slots) {
          if (!targetIncludes(s.target, input.station)) continue;
          for (const date of datesAround(base)) {
            if (!s.weekdays.includes(isoWeekday(date)) || date < s.startDate || date > s.endDate) continue;
            const start = zonedToUtc(date, s.startTime, input.station.timezone).getTime();
            if (start < options.from.getTime() || start >= options.to.getTime()) continue;
            const known = s.clipIds.every((id) => durations.has(id));
            const length = known ? s.clipIds.reduce((sum, id) => sum + (durations.get(id) ?? 0), 0) : 0;
            expected.set(`${s.id}@${date}`, [start, start + length]);
          }
        }
        const entries = compileTimetable(input, options);
        expect(entries.map((e) => e.id).sort()).toEqual([...expected.keys()].sort());
        for (const e of entries) expect([ms(e.startsAt), ms(e.endsAt)]).toEqual(expected.get(e.id));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
