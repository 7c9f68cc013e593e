// Which overrides and bulletins bear on one station's timetable over a range, and how far they reach.
import type { AlertPlan } from '../alerts.ts';
import type { StationInfo } from '../model.ts';
import type { Override } from '../overrides.ts';
import { targetIncludes } from '../targets.ts';
import { byId, cmp } from '../timetable/expand.ts';
import { BULLETIN_WAIT_MAX_MS, emergencyStart } from './bulletins.ts';

const DAY = 86_400_000;

/** The overrides and bulletins that bear on one station's timetable. */
export interface PrecedenceInput {
  station: StationInfo;
  overrides?: Override[];
  alerts?: AlertPlan[];
  /** Overrides cancelled at the controller (DesiredState.cancelledOverrides): no effect, as if cancelled. */
  cancelledOverrides?: string[];
}

/** What precedenceRules keeps, in a fixed order, and the instants the compiler must decide around. */
export interface PrecedenceRules {
  overrides: Override[];
  alerts: AlertPlan[];
  /**
   * Where bulletin and announcement entries can start and what they can move lies in [first, last] (ms;
   * +Infinity and -Infinity when there are none): slots are expanded and quiet windows known there too.
   */
  first: number;
  last: number;
}

/** An alert's reach: where its entry can start, [from, until] (ms). */
function reach(p: AlertPlan): [number, number] {
  const from = p.alert.level === 'emergency' ? emergencyStart(p) : Date.parse(p.receivedAt);
  return [from, Math.max(from, Math.min(Date.parse(p.alert.expiresAt), from + BULLETIN_WAIT_MAX_MS))];
}

/**
 * The bulletins that bear on entries starting in [from, to), in the order given. Bulletins bear on each
 * other: an emergency preempts the session a normal bulletin waits for, a priority one moves it, an earlier
 * normal one takes its place. So each bulletin's reach is widened by a day on either side, overlapping
 * widened reaches chain into groups, and every bulletin of a group that comes within (from - 2 days,
 * to + 1 day) counts: a range that counts one bulletin counts all it depends on, whatever the range.
 */
function bearingOn(alerts: AlertPlan[], from: number, to: number): AlertPlan[] {
  const spans = alerts
    .map((p) => ({ p, lo: reach(p)[0] - DAY, hi: reach(p)[1] + DAY }))
    .sort((a, b) => a.lo - b.lo);
  const kept = new Set<AlertPlan>();
  let group: AlertPlan[] = [];
  let [lo, hi] = [0, Number.NEGATIVE_INFINITY];
  const close = () => {
    if (lo < to + DAY && hi > from - 2 * DAY) for (const p of group) kept.add(p);
  };
  for (const s of spans) {
    if (s.lo >= hi) {
      close();
      [group, lo] = [[], s.lo];
    }
    group.push(s.p);
    hi = Math.max(hi, s.hi);
  }
  close();
  return alerts.filter((p) => kept.has(p));
}

const uniqueIds = <T>(items: T[], id: (t: T) => string) => {
  const seen = new Set<string>();
  return items.filter((t) => !seen.has(id(t)) && seen.add(id(t)));
};

/**
 * The overrides in force at the station (not cancelled, not volume: the agent applies volume when it
 * plays) and the bulletins addressed to it that can touch entries starting in [from, to); null if none.
 */
export function precedenceRules(input: PrecedenceInput, from: number, to: number): PrecedenceRules | null {
  const { station } = input;
  const addressed = uniqueIds(
    (input.alerts ?? [])
      .filter((p) => p.alert.targets.some((t) => targetIncludes(t, station)))
      .sort((a, b) => cmp(a.alert.id, b.alert.id) || cmp(JSON.stringify(a), JSON.stringify(b))),
    (p) => p.alert.id,
  );
  const alerts = bearingOn(addressed, from, to);
  // A bulletin goes after the sessions it meets, wherever they lie: an announcement that changes those
  // sessions counts even when it is far from [from, to), or the range asked for would decide where it goes.
  let [lo, hi] = [from, to];
  for (const p of alerts) [lo, hi] = [Math.min(lo, reach(p)[0]), Math.max(hi, reach(p)[1] + DAY)];
  const near = (t: number) => t > lo - DAY && t < hi + DAY;
  const gone = new Set(input.cancelledOverrides ?? []);
  const overrides = uniqueIds(
    (input.overrides ?? [])
      .filter(
        (o) =>
          o.stationId === station.id &&
          o.cancelledAt == null &&
          !gone.has(o.id) &&
          o.kind !== 'volume' &&
          (o.kind !== 'announce' || near(Date.parse(o.startsAt))),
      )
      .sort(byId),
    (o) => o.id,
  );
  if (overrides.length === 0 && alerts.length === 0) return null;
  // where the entries of bulletins and announcements can be, with what they move or look at after them
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const p of alerts) {
    const [a, b] = reach(p);
    first = Math.min(first, a);
    last = Math.max(last, b + DAY);
  }
  for (const o of overrides) {
    if (o.kind !== 'announce' || !o.clip) continue;
    first = Math.min(first, Date.parse(o.startsAt));
    last = Math.max(last, Date.parse(o.startsAt) + o.clip.durationMs);
  }
  return { overrides, alerts, first, last };
}
