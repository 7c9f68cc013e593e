// Air-time caps per area (sessions a day, minutes a session, days a week), checked against compiled timetables.

import {
  type AirTimePolicy,
  DEFAULT_TAIL_MS,
  DEFAULT_WARM_UP_MS,
  type Slot,
  type StationInfo,
  type Target,
  type TimetableEntry,
} from './model.ts';
import { targetIncludes } from './targets.ts';
import { addDays, isoWeekday, utcToZoned, zonedToUtc } from './time.ts';
import { type CompileInput, compileTimetable } from './timetable/compile.ts';
import { cmp } from './timetable/expand.ts';

export const DEFAULT_SESSION_GAP_MINUTES = 30;
const MINUTE = 60_000;
const DAY = 86_400_000;

interface BreachBase {
  /** The local day; for days-per-week, the Monday of the ISO week. */
  localDate: string;
  limit: number;
  actual: number;
  /** The scheduled entries concerned: the whole day, the session, or the whole week. */
  entryIds: string[];
  /** Short English text; the UI translates by code. */
  message: string;
}
export type PolicyBreach =
  | (BreachBase & { code: 'sessions-per-day' })
  /** actual is minutes of sound (rounded up to a tenth); sessionStart/End are UTC instants. */
  | (BreachBase & { code: 'minutes-per-session'; sessionStart: string; sessionEnd: string })
  | (BreachBase & { code: 'days-per-week'; isoWeek: string; localDates: string[] });

/** ISO 8601 week of a calendar date, e.g. '2021-W38' (weeks start on Monday; week 1 holds a Thursday). */
export function isoWeek(localDate: string): string {
  const thursday = addDays(localDate, 4 - isoWeekday(localDate));
  const year = thursday.slice(0, 4);
  const dayOfYear = (Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${year}-01-01T00:00:00Z`)) / DAY;
  return `${year}-W${String(Math.floor(dayOfYear / 7) + 1).padStart(2, '0')}`;
}

const monday = (localDate: string) => addDays(localDate, 1 - isoWeekday(localDate));

/** [from, to) widened to whole local ISO weeks, so that days-per-week counts every day of each week. */
export function wholeWeeks(from: Date, to: Date, timeZone: string): { from: Date; to: Date } {
  const last = utcToZoned(new Date(Math.max(from.getTime(), to.getTime() - 1)), timeZone).date;
  return {
    from: zonedToUtc(monday(utcToZoned(from, timeZone).date), '00:00', timeZone),
    to: zonedToUtc(addDays(monday(last), 7), '00:00', timeZone),
  };
}

interface Item {
  id: string;
  start: number;
  end: number;
}

/**
 * The breaches of `policy` by the scheduled entries (skipped ones never sound). Entries are grouped by
 * the local day they start on; within a day, an entry starting less than sessionGapMinutes after the
 * previous ones ended joins their session. A session's minutes are minutes of sound, not the span with
 * its pauses. Days-per-week only sees the entries given: pass whole weeks (wholeWeeks) for a true count.
 */
export function checkAirTime(
  entries: TimetableEntry[],
  policy: AirTimePolicy,
  timeZone: string,
): PolicyBreach[] {
  const gap = (policy.sessionGapMinutes ?? DEFAULT_SESSION_GAP_MINUTES) * MINUTE;
  const days = new Map<string, Item[]>();
  for (const e of entries) {
    if (e.status !== 'scheduled') continue;
    const item = { id: e.id, start: Date.parse(e.startsAt), end: Date.parse(e.endsAt) };
    const date = utcToZoned(new Date(item.start), timeZone).date;
    const day = days.get(date);
    if (day) day.push(item);
    else days.set(date, [item]);
  }
  const out: PolicyBreach[] = [];
  const ids = (items: Item[]) => items.map((i) => i.id);
  for (const [localDate, items] of days) {
    items.sort((a, b) => a.start - b.start || cmp(a.id, b.id));
    const sessions: { items: Item[]; end: number }[] = [];
    for (const item of items) {
      const open = sessions.at(-1);
      if (open && item.start - open.end < gap) {
        open.items.push(item);
        open.end = Math.max(open.end, item.end);
      } else sessions.push({ items: [item], end: item.end });
    }
    const maxSessions = policy.maxSessionsPerDay;
    if (maxSessions !== undefined && sessions.length > maxSessions) {
      out.push({
        code: 'sessions-per-day',
        localDate,
        limit: maxSessions,
        actual: sessions.length,
        entryIds: ids(items),
        message: `${localDate}: ${sessions.length} sessions, at most ${maxSessions} a day`,
      });
    }
    const maxMinutes = policy.maxMinutesPerSession;
    if (maxMinutes === undefined) continue;
    for (const s of sessions) {
      const soundMs = s.items.reduce((sum, i) => sum + (i.end - i.start), 0);
      if (soundMs <= maxMinutes * MINUTE) continue;
      const first = s.items[0] as Item;
      const actual = Math.ceil(soundMs / 6000) / 10;
      const at = utcToZoned(new Date(first.start), timeZone).time.slice(0, 5);
      out.push({
        code: 'minutes-per-session',
        localDate,
        sessionStart: new Date(first.start).toISOString(),
        sessionEnd: new Date(s.end).toISOString(),
        limit: maxMinutes,
        actual,
        entryIds: ids(s.items),
        message: `${localDate} ${at}: a ${actual}-minute session, at most ${maxMinutes} minutes`,
      });
    }
  }
  const maxDays = policy.maxDaysPerWeek;
  if (maxDays !== undefined) {
    const weeks = new Map<string, string[]>();
    for (const date of [...days.keys()].sort())
      weeks.set(isoWeek(date), [...(weeks.get(isoWeek(date)) ?? []), date]);
    for (const [week, localDates] of weeks) {
      if (localDates.length <= maxDays) continue;
      out.push({
        code: 'days-per-week',
        localDate: monday(localDates[0] as string),
        isoWeek: week,
        localDates,
        limit: maxDays,
        actual: localDates.length,
        entryIds: localDates.flatMap((d) => ids(days.get(d) ?? [])),
        message: `week ${week}: on air ${localDates.length} days, at most ${maxDays} a week`,
      });
    }
  }
  const order = (b: PolicyBreach) => (b.code === 'minutes-per-session' ? b.sessionStart : '');
  return out.sort((a, b) => cmp(a.localDate, b.localDate) || cmp(a.code, b.code) || cmp(order(a), order(b)));
}

/** A policy set for an area; the console stores these per city, district, ward or station. */
export interface AreaPolicy {
  target: Target;
  policy: AirTimePolicy;
}

const RANK = { city: 0, district: 1, ward: 2, station: 3 } as const;
const LIMITS = ['maxSessionsPerDay', 'maxMinutesPerSession', 'maxDaysPerWeek'] as const;

/**
 * The policy in force at a station: each field comes from the most specific area that sets it, so a city
 * rule (2 sessions, 5 days, 15 minutes) can be relaxed for rural communes by a ward rule of 45 minutes alone.
 * Rules at the same level combine to the stricter value. Enforcement is 'refuse' if any applicable rule
 * says so: a lower level can tailor the limits but not turn a refusal into a mere warning.
 * Null when no area has a policy.
 */
export function effectivePolicy(areas: AreaPolicy[], station: StationInfo): AirTimePolicy | null {
  const applicable = areas.filter((a) => targetIncludes(a.target, station));
  if (applicable.length === 0) return null;
  const refuse = applicable.some((a) => a.policy.enforcement === 'refuse');
  const out: AirTimePolicy = { enforcement: refuse ? 'refuse' : 'warn' };
  for (const rank of [0, 1, 2, 3]) {
    const level = applicable.filter((a) => RANK[a.target.scope] === rank).map((a) => a.policy);
    if (level.length === 0) continue;
    for (const field of LIMITS) {
      const values = level.flatMap((p) => (p[field] === undefined ? [] : [p[field]]));
      if (values.length) out[field] = Math.min(...values);
    }
    const gaps = level.flatMap((p) => (p.sessionGapMinutes === undefined ? [] : [p.sessionGapMinutes]));
    if (gaps.length) out.sessionGapMinutes = Math.max(...gaps);
  }
  return out;
}

export interface SlotCheckOptions {
  now: Date;
  /** How far ahead of max(now, the slot's first day) to look; default 62 days (the preview's limit). */
  horizonDays?: number;
  /** The agent's warm-up and tail, as the preview uses; default DEFAULT_WARM_UP_MS and DEFAULT_TAIL_MS. */
  leadMs?: number;
  tailMs?: number;
}

/**
 * For saving `slot` (new or edited) at one station: the breaches its entries take part in that the
 * station's timetable without the slot does not have, or has less badly. Whole ISO weeks are compiled
 * over the slot's dates from now on, up to the horizon. `input` is the station's current desired state;
 * a slot with the same id in it is replaced. Empty when the slot does not reach the station.
 */
export function checkSlotAirTime(
  input: CompileInput,
  slot: Slot,
  policy: AirTimePolicy,
  options: SlotCheckOptions,
): PolicyBreach[] {
  const tz = input.station.timezone;
  const from = Math.max(options.now.getTime(), zonedToUtc(slot.startDate, '00:00', tz).getTime());
  const until = zonedToUtc(addDays(slot.endDate, 1), '00:00', tz).getTime();
  const to = Math.min(until, from + (options.horizonDays ?? 62) * DAY);
  if (!(from < to) || !targetIncludes(slot.target, input.station)) return [];
  const range = wholeWeeks(new Date(from), new Date(to), tz);
  const others = input.slots.filter((s) => s.id !== slot.id);
  const compile = (slots: Slot[]) =>
    compileTimetable(
      { ...input, slots },
      { ...range, leadMs: options.leadMs ?? DEFAULT_WARM_UP_MS, tailMs: options.tailMs ?? DEFAULT_TAIL_MS },
    );
  const key = (b: PolicyBreach) =>
    `${b.code} ${b.code === 'days-per-week' ? b.isoWeek : b.code === 'minutes-per-session' ? b.sessionStart : b.localDate}`;
  const before = new Map(checkAirTime(compile(others), policy, tz).map((b) => [key(b), b.actual]));
  // the slot's own entries before now never played; the others' did, and count towards the week
  const after = compile([...others, slot]).filter(
    (e) => e.slotId !== slot.id || Date.parse(e.startsAt) >= from,
  );
  const mine = new Set(
    after.filter((e) => e.slotId === slot.id && e.status === 'scheduled').map((e) => e.id),
  );
  return checkAirTime(after, policy, tz).filter(
    (b) => b.entryIds.some((id) => mine.has(id)) && !((before.get(key(b)) ?? -1) >= b.actual),
  );
}
