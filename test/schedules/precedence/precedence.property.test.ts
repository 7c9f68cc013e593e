// Property tests for the precedence step: random slots and quiet windows (arbitraries.ts) plus random
// local overrides and bulletins placed near the timetable's entries, so that they collide.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimetableEntry } from '../../../schedules/model.ts';
import type { Override } from '../../../schedules/overrides.ts';
import type { AlertPlan } from '../../../schedules/precedence/precedence.ts';
import { compileTimetable } from '../../../schedules/timetable/compile.ts';
import {
  type Case,
  caseArb,
  DAY,
  expectNoOverlap,
  intersects,
  ms,
  NUM_RUNS,
  onAir,
  quietIntervals,
  wide,
  withShuffled,
} from '../arbitraries.ts';
import { clipRef, overrideWith, planWith } from './fixtures.ts';

interface PCase extends Case {
  overrides: Override[];
  alerts: AlertPlan[];
}

const MIN = 60_000;
const iso = (t: number) => new Date(t).toISOString();
const lengthArb = fc.oneof(
  fc.integer({ min: 1_000, max: 20 * MIN }),
  fc.constantFrom(60_000, 10 * MIN, 6 * 3_600_000),
);

/** Instants near where things happen: the range's start, and the starts and ends of compiled entries. */
function instantArb(c: Case, all: TimetableEntry[]): fc.Arbitrary<number> {
  const from = c.options.from.getTime();
  const anchors = [from, ...all.flatMap((e) => [ms(e.startsAt), ms(e.endsAt)])];
  return fc
    .tuple(
      fc.constantFrom(...anchors),
      fc.oneof(fc.integer({ min: -30, max: 30 }), fc.integer({ min: -24 * 60, max: 3 * 24 * 60 })),
      fc.constantFrom(0, 0, 1_000, 2_999, 30_000),
    )
    .map(([a, minutes, extra]) => a + minutes * MIN + extra);
}

function overrideArb(c: Case, all: TimetableEntry[]): fc.Arbitrary<Override> {
  // skips and stops name an entry and mostly cover its time; 'alert:aN' are bulletins (declines)
  const named: [string, number, number][] = [
    ...all.map((e): [string, number, number] => [e.id, ms(e.startsAt), ms(e.endsAt)]),
    ...['a1', 'a2', 'a3'].map((id): [string, number, number] => [
      `alert:${id}`,
      c.options.from.getTime(),
      c.options.to.getTime(),
    ]),
  ];
  return fc
    .record({
      id: fc.constantFrom('o1', 'o2', 'o3', 'o4', 'o5', 'o6'),
      kind: fc.constantFrom('stop', 'pause', 'skip', 'skip', 'quiet', 'announce', 'announce', 'volume'),
      start: instantArb(c, all),
      length: lengthArb,
      stationId: fc.constantFrom('s1', 's1', 's1', 's2'),
      cancelled: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
      entry: fc.constantFrom(...named),
      before: fc.integer({ min: 0, max: 3 * 3_600_000 }),
      clipMs: lengthArb,
    })
    .map((o) => {
      const [entryId, entryStart, entryEnd] = o.entry;
      const aimed = o.kind === 'skip' || o.kind === 'stop';
      const startsAt = aimed
        ? o.kind === 'stop'
          ? entryStart + o.before / 100
          : entryStart - o.before
        : o.start;
      const endsAt = aimed
        ? Math.max(entryEnd, startsAt + 1000)
        : o.start + (o.kind === 'announce' ? o.clipMs : o.length);
      return overrideWith({
        id: o.id,
        kind: o.kind,
        stationId: o.stationId,
        startsAt: iso(startsAt),
        endsAt: iso(endsAt),
        cancelledAt: o.cancelled ? iso(startsAt) : null,
        entryId: aimed ? entryId : null,
        clip: o.kind === 'announce' ? clipRef(`local-${o.id}`, o.clipMs) : null,
        volume: o.kind === 'volume' ? 0.5 : null,
      });
    });
}

function alertArb(c: Case, all: TimetableEntry[]): fc.Arbitrary<AlertPlan> {
  return fc
    .record({
      id: fc.constantFrom('a1', 'a2', 'a3', 'a4', 'a5'),
      level: fc.constantFrom('normal', 'priority', 'emergency'),
      received: instantArb(c, all),
      durationMs: fc.integer({ min: 1_000, max: 20 * MIN }),
      expiresIn: fc.oneof(fc.integer({ min: 0, max: 6 * 60 }), fc.integer({ min: 0, max: 10 * 24 * 60 })),
      ignoreQuietWindows: fc.boolean(),
      cancelled: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
      ready: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
      started: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
      elsewhere: fc.integer({ min: 0, max: 6 }).map((n) => n === 0),
    })
    .map((a) =>
      planWith({
        id: a.id,
        level: a.level,
        receivedAt: iso(a.received),
        durationMs: a.durationMs,
        expiresAt: iso(a.received + a.expiresIn * MIN),
        ignoreQuietWindows: a.ignoreQuietWindows,
        cancelledAt: a.cancelled ? iso(a.received) : null,
        ...(a.ready !== undefined ? { readyAt: iso(a.received + a.ready * 1000) } : {}),
        ...(a.started !== undefined ? { startedAt: iso(a.received + a.started * 1000) } : {}),
        ...(a.elsewhere ? { targets: [{ scope: 'district', id: 'd2' }] } : {}),
      }),
    );
}

const pcaseArb: fc.Arbitrary<PCase> = caseArb.chain((c) => {
  const all = wide(c);
  return fc
    .record({
      overrides: fc.uniqueArray(overrideArb(c, all), { selector: (o) => o.id, maxLength: 6 }),
      alerts: fc.uniqueArray(alertArb(c, all), { selector: (a) => a.alert.id, maxLength: 5 }),
    })
    .map((extra) => ({ ...c, ...extra }));
});

const compileP = (c: PCase, options = c.options) =>
  compileTimetable({ ...c.input, overrides: c.overrides, alerts: c.alerts }, options);

const isEmergency = (e: TimetableEntry) => e.source?.kind === 'alert' && e.source.level === 'emergency';

/** Silences in force at station s1: stop, pause and local quiet windows not cancelled. */
const silencesOf = (c: PCase) =>
  c.overrides
    .filter(
      (o) => o.stationId === 's1' && o.cancelledAt === null && ['stop', 'pause', 'quiet'].includes(o.kind),
    )
    .map((o) => ({ id: o.id, span: [ms(o.startsAt), ms(o.endsAt)] as [number, number] }));

describe('precedence properties', () => {
  it('never lets two scheduled entries overlap on air', () => {
    fc.assert(
      fc.property(pcaseArb, (c) => expectNoOverlap(compileP(c), c.options)),
      { numRuns: NUM_RUNS },
    );
  });

  it('schedules nothing but an emergency in a silence or a quiet window; an emergency in a quiet window only when told', () => {
    fc.assert(
      fc.property(pcaseArb, (c) => {
        const silences = silencesOf(c);
        const quiet = quietIntervals(c);
        const ignoring = new Set(
          c.alerts.filter((p) => p.alert.ignoreQuietWindows).map((p) => `alert:${p.alert.id}`),
        );
        for (const e of compileP(c)) {
          if (e.status !== 'scheduled') continue;
          const air = onAir(e, c.options);
          if (!isEmergency(e)) {
            for (const s of silences) expect(intersects(air, s.span), `${e.id} in ${s.id}`).toBe(false);
          }
          if (isEmergency(e) && ignoring.has(e.id)) continue;
          for (const q of quiet) expect(intersects(air, q.span), `${e.id} in ${q.id}`).toBe(false);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('plays no bulletin after its expiry, once cancelled, or where it is not addressed', () => {
    fc.assert(
      fc.property(pcaseArb, (c) => {
        const plans = new Map(c.alerts.map((p) => [`alert:${p.alert.id}`, p]));
        for (const e of compileP(c)) {
          const p = plans.get(e.id);
          if (!p || e.status !== 'scheduled') continue;
          expect(ms(e.startsAt)).toBeLessThan(ms(p.alert.expiresAt));
          expect(ms(e.startsAt)).toBeGreaterThanOrEqual(ms(p.receivedAt));
          expect(p.alert.cancelledAt).toBeNull();
          expect(p.alert.targets).toEqual([{ scope: 'city' }]);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('does not depend on the order of its inputs', () => {
    const arb = pcaseArb.chain((c) =>
      withShuffled(c, c.input.slots, c.input.quietWindows, c.overrides, c.alerts),
    );
    fc.assert(
      fc.property(arb, ([c, slots, quietWindows, overrides, alerts]) => {
        const first = compileP(c);
        expect(compileP({ ...c, input: { ...c.input, slots, quietWindows }, overrides, alerts })).toEqual(
          first,
        );
      }),
      { numRuns: NUM_RUNS },
    );
  });

  const rangeIndependence = fc.property(
    fc.tuple(pcaseArb, fc.nat(), fc.constantFrom(0, 1000, 60_000, 600_000), fc.boolean()),
    ([c, pick, offset, pivot]) => {
      const [from, to] = [c.options.from.getTime(), c.options.to.getTime()];
      const all = compileP(c, { ...c.options, from: new Date(from - 3 * DAY), to: new Date(to + 3 * DAY) });
      const at = all[pick % Math.max(1, all.length)];
      const options =
        pivot && at
          ? {
              ...c.options,
              from: new Date(ms(at.startsAt) + offset),
              to: new Date(Math.min(ms(at.startsAt) + DAY, to + 3 * DAY)),
            }
          : c.options;
      const cut = all.filter(
        (e) => ms(e.startsAt) >= options.from.getTime() && ms(e.startsAt) < options.to.getTime(),
      );
      expect(compileP(c, options)).toEqual(cut);
    },
  );

  it('gives the same outcomes whatever range is compiled', () => {
    fc.assert(rangeIndependence, { numRuns: NUM_RUNS });
  });

  // Found by the property above: a withdrawn normal bulletin was placed after a session the range decided,
  // an announcement a day before the range changed which session a normal bulletin met, and an emergency
  // days after the range (left out) preempted the only session a normal bulletin in it could meet.
  it.each([
    [-1199657635, '53:260:4:4:5:5:5:7:7:7:7:8:9:9:9:9:9:10:10:10:12:13:10:10:14:10:11:11:12:11:11:12:12:12'],
    [
      1252849195,
      '3725:251:0:3:4:4:5:5:5:6:7:7:7:7:8:7:9:9:9:10:9:9:9:9:10:11:10:10:11:9:9:11:10:11:11:12:11:12:14:14:14:14:15:15:15:14:14:15:15:14:14:16:15:16:16:17:16:16:17:28:17:17:27:23',
    ],
    [
      1032883478,
      '109:210:0:1:2:2:2:3:2:3:3:3:5:6:8:8:8:8:7:8:7:9:14:15:15:13:17:15:14:14:15:20:4:6:6:6:6:6:6:6:6:6:13:14:13:13:13:13:13:13:13:13:13:13:13:13:13:15:15:16:15:15:16:16:41:19',
    ],
  ])('keeps the counterexample of seed %i', (seed, path) => {
    fc.assert(rangeIndependence, { seed, path, endOnFailure: true });
  });
});
