// fast-check generators, reference helpers and shared checks for the schedule property tests.
import fc from 'fast-check';
import { expect } from 'vitest';
import { QuietWindow, Slot, type StationInfo, type TimetableEntry } from '../../schedules/model.ts';
import { targetIncludes } from '../../schedules/targets.ts';
import { addDays, isoWeekday, zonedToUtc } from '../../schedules/time.ts';
import type { CompileInput, CompileOptions } from '../../schedules/timetable/compile.ts';
import { compileTimetable } from '../../schedules/timetable/compile.ts';

export const NUM_RUNS = 300;
const ZONES = ['Asia/Ho_Chi_Minh', 'Europe/Berlin', 'America/New_York', 'UTC'];
// Some bases sit a few days before Berlin/New York DST changes so gaps and repeated hours get exercised.
const BASES = ['2021-09-20', '2024-03-05', '2024-03-25', '2024-10-22', '2024-12-25'];
const SPAN_DAYS = 45; // generated dates stay within base-2 .. base+30

const pad = (n: number) => String(n).padStart(2, '0');
const hhmmss = (sec: number) =>
  `${pad(Math.floor(sec / 3600))}:${pad(Math.floor(sec / 60) % 60)}:${pad(sec % 60)}`;
// Hours cluster on a few values (2 is inside Berlin/New York DST changes) so slots collide and windows bite.
const timeArb = fc
  .tuple(
    fc.oneof(fc.integer({ min: 0, max: 23 }), { arbitrary: fc.constantFrom(2, 6, 23), weight: 2 }),
    fc.constantFrom(0, 10, 30, 59),
    fc.option(fc.constantFrom(0, 30), { nil: undefined }),
  )
  .map(([h, m, s]) => (s === undefined ? `${pad(h)}:${pad(m)}` : `${pad(h)}:${pad(m)}:${pad(s)}`));
// A dense case crowds every slot into 06:00-07:59 and uses short quiet windows there, so flexible slots
// keep running into each other, into fixed slots and into windows.
const denseTimeArb = fc
  .tuple(fc.constantFrom(6, 7), fc.constantFrom(0, 5, 10, 30, 45, 59))
  .map(([h, m]) => `${pad(h)}:${pad(m)}`);
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

// Window lengths from a minute (never fits) to four hours; round values meet round clip lengths exactly.
const flexMinutesArb = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 3 },
  { arbitrary: fc.integer({ min: 1, max: 240 }), weight: 1 },
  { arbitrary: fc.constantFrom(10, 20, 30, 60, 120, 180, 240), weight: 2 },
);
const secondsOf = (time: string) => {
  const [h = 0, m = 0, s = 0] = time.split(':').map(Number);
  return h * 3600 + m * 60 + s;
};

const slotArb = (base: string, dense: boolean) =>
  fc
    .record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
      // c4 never exists, so some slots hit clip-unknown
      clipIds: fc.array(
        fc.oneof({ arbitrary: fc.constantFrom('c1', 'c2', 'c3'), weight: 12 }, fc.constant('c4')),
        { minLength: 1, maxLength: 3 },
      ),
      startTime: dense ? denseTimeArb : timeArb,
      weekdays: weekdaysArb,
      range: dateRangeArb(base),
      target: targetArb,
      priority: fc.integer({ min: 0, max: 3 }),
      flexMinutes: flexMinutesArb,
      // read again with gaps and chimes (schedules/repeat.ts) now and then: the whole length is the entry's
      shape: fc.option(
        fc.record({
          repeat: fc.record({
            times: fc.integer({ min: 1, max: 3 }),
            gapSeconds: fc.integer({ min: 0, max: 60 }),
          }),
          chime: fc.record({ before: fc.boolean(), after: fc.boolean() }),
        }),
        { freq: 4, nil: undefined },
      ),
    })
    .map(({ range, flexMinutes, shape, ...s }) => {
      const until =
        flexMinutes === undefined ? 0 : Math.min(86_399, secondsOf(s.startTime) + flexMinutes * 60);
      const flexibleUntil = until > secondsOf(s.startTime) ? hhmmss(until) : undefined;
      return Slot.parse({ ...s, ...range, ...(flexibleUntil ? { flexibleUntil } : {}), ...shape });
    });

const quietArb = (base: string, dense: boolean) =>
  fc
    .record({
      id: fc.constantFrom('q1', 'q2', 'q3', 'q4', 'q5'),
      weekdays: weekdaysArb,
      startTime: dense ? denseTimeArb : timeArb,
      endTime: dense ? fc.integer({ min: 1, max: 90 }) : timeArb,
      range: dateRangeArb(base),
      reason: fc.constantFrom('online-class', 'national-relay', 'local-event', 'other'),
      target: targetArb,
    })
    .map(({ range, endTime, ...w }) =>
      QuietWindow.parse({
        ...w,
        ...range,
        // dense: endTime is a length in minutes
        endTime: typeof endTime === 'string' ? endTime : hhmmss(secondsOf(w.startTime) + endTime * 60),
      }),
    );

// Round durations make entries end exactly on, or just before, another slot's start: margins then decide.
const durationArb = fc.oneof(
  fc.integer({ min: 1_000, max: 1_200_000 }),
  fc.constantFrom(1_000, 590_000, 600_000, 1_200_000),
);
const clipsArb = fc.tuple(
  ...['c1', 'c2', 'c3'].map((id) => durationArb.map((durationMs) => ({ id, durationMs }))),
);

const marginArb = fc.oneof(fc.integer({ min: 0, max: 300_000 }), fc.constantFrom(0, 10_000, 60_000));

export interface Case {
  base: string;
  input: CompileInput;
  options: CompileOptions;
}
export const caseArb: fc.Arbitrary<Case> = fc
  .tuple(fc.constantFrom(...BASES), fc.constantFrom(...ZONES), fc.boolean())
  .chain(([base, timezone, dense]) =>
    fc.record({
      base: fc.constant(base),
      input: fc.record({
        station: fc.constant<StationInfo>({
          id: 's1',
          name: 'Trạm s1',
          areaPath: ['root', 'd1', 'w1'],
          timezone,
        }),
        slots: fc.uniqueArray(slotArb(base, dense), { selector: (s) => s.id, minLength: 1, maxLength: 8 }),
        quietWindows: fc.uniqueArray(quietArb(base, dense), { selector: (w) => w.id, maxLength: 4 }),
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

export const ms = (iso: string) => Date.parse(iso);
export const intersects = (a: [number, number], b: [number, number]) => a[0] < b[1] && b[0] < a[1];
export const onAir = (e: TimetableEntry, o: CompileOptions): [number, number] => [
  ms(e.startsAt) - (o.leadMs ?? 0),
  ms(e.endsAt) + (o.tailMs ?? 0),
];
const normal = (t: string) => (t.length === 5 ? `${t}:00` : t);

/** No two scheduled entries of `entries` overlap on air (their lead and tail included). */
export function expectNoOverlap(entries: TimetableEntry[], o: CompileOptions): void {
  const scheduled = entries.filter((e) => e.status === 'scheduled');
  for (let i = 0; i < scheduled.length; i++) {
    for (let j = i + 1; j < scheduled.length; j++) {
      const [a, b] = [scheduled[i], scheduled[j]] as [TimetableEntry, TimetableEntry];
      expect(intersects(onAir(a, o), onAir(b, o)), `${a.id} vs ${b.id}`).toBe(false);
    }
  }
}

export function* datesAround(base: string) {
  for (let i = -5; i < SPAN_DAYS; i++) yield addDays(base, i);
}

/** Straightforward re-expansion of the applicable quiet windows, for checking the compiler against. */
export function quietIntervals({ base, input }: Case) {
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

export const shuffled = <T>(items: T[]) =>
  fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length });

/** `c` beside each of `lists` in a random order: for properties that the order of the inputs does not matter. */
export const withShuffled = <C, L extends unknown[][]>(c: C, ...lists: L) =>
  fc.tuple(fc.constant(c), ...lists.map((l) => shuffled(l))) as unknown as fc.Arbitrary<[C, ...L]>;

export const DAY = 86_400_000;
const ceilSecond = (t: number) => Math.ceil(t / 1000) * 1000;

/** The same input compiled three days wider either side: it holds every blocker of an entry in range. */
export const wide = (c: Case) =>
  compileTimetable(c.input, {
    ...c.options,
    from: new Date(c.options.from.getTime() - 3 * DAY),
    to: new Date(c.options.to.getTime() + 3 * DAY),
  });

/** A flexible entry's window and sound length, whether it was placed or found no room. */
export function flexWindow(e: TimetableEntry): { first: number; until: number; length: number } | null {
  const length = ms(e.endsAt) - ms(e.startsAt);
  if (e.status === 'scheduled' && e.placement) {
    return { first: ms(e.placement.requestedFrom), until: ms(e.placement.requestedUntil), length };
  }
  if (e.status === 'skipped' && e.skip.code === 'no-room') {
    return { first: ms(e.skip.windowStart), until: ms(e.skip.windowEnd), length };
  }
  return null;
}

/**
 * Asserts that no whole second in [first, before] (or [first, before) when placed) was free for `e`:
 * tried are the window start, every blocker's end plus the lead (where the compiler looks) and every
 * minute (where it does not), against quiet windows and every other scheduled entry.
 */
export function expectNoEarlierRoom(
  c: Case,
  e: TimetableEntry,
  all: TimetableEntry[],
  before: number,
  inclusive: boolean,
) {
  const w = flexWindow(e);
  if (!w) return;
  const lead = c.options.leadMs ?? 0;
  const tail = c.options.tailMs ?? 0;
  const near: [number, number] = [w.first - lead - 1, w.until + tail + 1];
  const blockers = [
    ...quietIntervals(c).map((q) => q.span),
    ...all.filter((o) => o.status === 'scheduled' && o.id !== e.id).map((o) => onAir(o, c.options)),
  ].filter((b) => intersects(b, near));
  const tries = [w.first, ...blockers.map((b) => ceilSecond(b[1] + lead))];
  for (let t = w.first; t < before; t += 60_000) tries.push(t);
  for (const t of tries) {
    if (t < w.first || t > before || (t === before && !inclusive)) continue;
    const air: [number, number] = [t - lead, t + w.length + tail];
    expect(
      blockers.some((b) => intersects(air, b)),
      `${e.id} could start at ${new Date(t).toISOString()}`,
    ).toBe(true);
  }
}
