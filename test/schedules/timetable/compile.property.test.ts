// Property tests for the timetable compiler: quiet windows hold, no overlaps, determinism, completeness, flexible slots.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimetableEntry } from '../../../schedules/model.ts';
import { shapedMs } from '../../../schedules/repeat.ts';
import { targetIncludes } from '../../../schedules/targets.ts';
import { isoWeekday, zonedToUtc } from '../../../schedules/time.ts';
import { compileTimetable } from '../../../schedules/timetable/compile.ts';
import {
  caseArb,
  DAY,
  datesAround,
  expectNoEarlierRoom,
  expectNoOverlap,
  flexWindow,
  intersects,
  ms,
  NUM_RUNS,
  onAir,
  quietIntervals,
  wide,
  withShuffled,
} from '../arbitraries.ts';

describe('compileTimetable properties', () => {
  it('(a) never schedules into an applicable quiet window, and every skip is justified', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const entries = compileTimetable(c.input, c.options);
        const all = wide(c);
        const quiet = quietIntervals(c);
        const known = new Set(c.input.clips.map((k) => k.id));
        const byId = new Map(all.map((e) => [e.id, e]));
        const slots = new Map(c.input.slots.map((s) => [s.id, s]));
        for (const e of entries) {
          const missing = e.clipIds.find((id) => !known.has(id));
          const isFlexible = slots.get(e.slotId)?.flexibleUntil != null;
          if (e.status === 'scheduled') {
            expect(missing).toBeUndefined();
            for (const q of quiet)
              expect(intersects(onAir(e, c.options), q.span), `${e.id} vs ${q.id}`).toBe(false);
          } else if (e.skip.code === 'clip-unknown') {
            expect(e.skip.clipId).toBe(missing);
          } else if (e.skip.code === 'no-room') {
            expect(isFlexible).toBe(true);
            const w = flexWindow(e);
            if (w) expectNoEarlierRoom(c, e, all, w.until - w.length, true);
          } else if (e.skip.code === 'quiet-window') {
            expect(isFlexible).toBe(false); // a flexible entry moves instead
            const { quietWindowId } = e.skip;
            expect(quiet.some((q) => q.id === quietWindowId && intersects(onAir(e, c.options), q.span))).toBe(
              true,
            );
          } else if (e.skip.code === 'overlap') {
            // first come in time wins; priority only breaks ties at the same instant; the winner may have
            // started before `from`, so it is looked up in the wider compile
            expect(isFlexible).toBe(false);
            const winner = byId.get(e.skip.entryId);
            expect(winner?.status).toBe('scheduled');
            if (winner?.status !== 'scheduled') continue;
            expect(winner.placement).toBeUndefined(); // fixed entries are decided before flexible ones
            expect(intersects(onAir(e, c.options), onAir(winner, c.options))).toBe(true);
            expect(ms(winner.startsAt)).toBeLessThanOrEqual(ms(e.startsAt));
            if (winner.startsAt === e.startsAt) {
              expect(slots.get(winner.slotId)?.priority).toBeGreaterThanOrEqual(
                slots.get(e.slotId)?.priority ?? 0,
              );
            }
          } else {
            throw new Error(`unexpected skip ${e.skip.code} without overrides or bulletins`);
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('(b) never lets two scheduled entries overlap on air', () => {
    fc.assert(
      fc.property(caseArb, (c) => expectNoOverlap(compileTimetable(c.input, c.options), c.options)),
      { numRuns: NUM_RUNS },
    );
  });

  it('(c) is deterministic and independent of input array order', () => {
    const arb = caseArb.chain((c) => withShuffled(c, c.input.slots, c.input.quietWindows, c.input.clips));
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
        const [from, to] = [options.from.getTime(), options.to.getTime()];
        const fixed = new Map<string, [number, number]>();
        const flexible = new Map<string, [number, number, number]>(); // window start, until, length
        const mustHave: string[] = [];
        for (const s of input.slots) {
          if (!targetIncludes(s.target, input.station)) continue;
          for (const date of datesAround(base)) {
            if (!s.weekdays.includes(isoWeekday(date)) || date < s.startDate || date > s.endDate) continue;
            const start = zonedToUtc(date, s.startTime, input.station.timezone).getTime();
            const known = s.clipIds.every((id) => durations.has(id));
            const length = known
              ? shapedMs(
                  s.clipIds.reduce((sum, id) => sum + (durations.get(id) ?? 0), 0),
                  s,
                )
              : 0;
            const id = `${s.id}@${date}`;
            if (s.flexibleUntil == null) {
              if (start >= from && start < to) fixed.set(id, [start, start + length]);
              continue;
            }
            const until = zonedToUtc(date, s.flexibleUntil, input.station.timezone).getTime();
            flexible.set(id, [start, until, length]);
            // it starts somewhere in [start, until], or at start when skipped
            if (start >= from && until < to) mustHave.push(id);
          }
        }
        const entries = compileTimetable(input, options);
        const ids = entries.map((e) => e.id);
        expect(ids.filter((id) => fixed.has(id)).sort()).toEqual([...fixed.keys()].sort());
        for (const id of mustHave) expect(ids).toContain(id);
        for (const e of entries) {
          const f = flexible.get(e.id);
          if (!f) {
            expect([ms(e.startsAt), ms(e.endsAt)]).toEqual(fixed.get(e.id));
            continue;
          }
          // (every flexible entry within its window, with its clips' length)
          const [start, until, length] = f;
          expect(ms(e.endsAt) - ms(e.startsAt)).toBe(length);
          if (e.status === 'skipped') expect(ms(e.startsAt)).toBe(start);
          else {
            expect(e.placement?.requestedFrom).toBe(new Date(start).toISOString());
            expect(e.placement?.requestedUntil).toBe(new Date(until).toISOString());
            expect(ms(e.startsAt)).toBeGreaterThanOrEqual(start);
            expect(ms(e.endsAt)).toBeLessThanOrEqual(until);
            expect(ms(e.startsAt) % 1000).toBe(0);
            expect((e.placement?.movedBecause.length ?? 0) > 0).toBe(ms(e.startsAt) > start);
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('(f) places a flexible entry at the earliest second it fits', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const all = wide(c);
        for (const e of compileTimetable(c.input, c.options)) {
          if (e.status === 'scheduled' && e.placement) expectNoEarlierRoom(c, e, all, ms(e.startsAt), false);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('(g) gives the same outcomes whatever range is compiled', () => {
    // Half the ranges start just after some entry starts, where an entry already on air must still block.
    const arb = fc.tuple(caseArb, fc.nat(), fc.constantFrom(0, 1000, 60_000, 600_000), fc.boolean());
    fc.assert(
      fc.property(arb, ([c, pick, offset, pivot]) => {
        const all = wide(c);
        const at = all[pick % Math.max(1, all.length)];
        const options =
          pivot && at
            ? {
                ...c.options,
                from: new Date(ms(at.startsAt) + offset),
                to: new Date(Math.min(ms(at.startsAt) + DAY, c.options.to.getTime() + 3 * DAY)),
              }
            : c.options;
        const [from, to] = [options.from.getTime(), options.to.getTime()];
        const cut = all.filter((e) => ms(e.startsAt) >= from && ms(e.startsAt) < to);
        expect(compileTimetable(c.input, options)).toEqual(cut);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
