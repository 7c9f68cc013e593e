// Air-time caps per area (sessions a day, minutes a session, days a week), checked against compiled timetables.

import { daysAllow } from './calendar/days.ts';
import {
  type AirTimePolicy,
  DEFAULT_TAIL_MS,
  DEFAULT_WARM_UP_MS,
  type Slot,
  type StationInfo,
  type Target,
  type TimetableEntry,
} from './model.ts';
import { targetDepth, targetIncludes } from './targets.ts';
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
  /** The same in Vietnamese, local dates as dd/mm/yyyy, for the console's people. */
  messageVi: string;
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

/** A local date as a person reads it: dd/mm/yyyy. */
const viDate = (localDate: string) => localDate.split('-').reverse().join('/');
/** A number as Vietnamese writes it: a decimal comma. */
const viNumber = (n: number) => String(n).replace('.', ',');

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

/** The policy in force on each local date, null where none is (policies that follow holidays). */
export type DailyPolicy = (localDate: string) => AirTimePolicy | null;

/** A single policy in force on the days its day rules allow (every day when it has none). */
const byDay = (policy: AirTimePolicy | DailyPolicy): DailyPolicy =>
  typeof policy === 'function' ? policy : (date) => (daysAllow(policy, date) ? policy : null);

/**
 * The breaches of `policy` by the scheduled entries (skipped ones never sound). Entries are grouped by
 * the local day they start on; within a day, an entry starting less than sessionGapMinutes after the
 * previous ones ended joins their session. A session's minutes are minutes of sound, not the span with
 * its pauses. Days-per-week only sees the entries given: pass whole weeks (wholeWeeks) for a true count.
 * A day no policy is in force on (a holiday it spares) is not checked, and not counted in its week.
 */
export function checkAirTime(
  entries: TimetableEntry[],
  policy: AirTimePolicy | DailyPolicy,
  timeZone: string,
): PolicyBreach[] {
  const on = byDay(policy);
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
    const policy = on(localDate);
    if (!policy) continue;
    const gap = (policy.sessionGapMinutes ?? DEFAULT_SESSION_GAP_MINUTES) * MINUTE;
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
        messageVi: `Ngày ${viDate(localDate)}: ${sessions.length} buổi phát, vượt mức tối đa ${maxSessions} buổi một ngày`,
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
        messageVi: `Ngày ${viDate(localDate)} lúc ${at}: buổi phát dài ${viNumber(actual)} phút, vượt mức tối đa ${maxMinutes} phút một buổi`,
      });
    }
  }
  // a week counts its days on air that a days-a-week limit is in force on, against the strictest of them
  const weeks = new Map<string, { localDates: string[]; maxDays: number }>();
  for (const date of [...days.keys()].sort()) {
    const limit = on(date)?.maxDaysPerWeek;
    if (limit === undefined) continue;
    const week = weeks.get(isoWeek(date));
    if (!week) weeks.set(isoWeek(date), { localDates: [date], maxDays: limit });
    else {
      week.localDates.push(date);
      week.maxDays = Math.min(week.maxDays, limit);
    }
  }
  for (const [week, { localDates, maxDays }] of weeks) {
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
      messageVi: `Tuần từ ${viDate(monday(localDates[0] as string))}: phát ${localDates.length} ngày, vượt mức tối đa ${maxDays} ngày một tuần`,
    });
  }
  const order = (b: PolicyBreach) => (b.code === 'minutes-per-session' ? b.sessionStart : '');
  return out.sort((a, b) => cmp(a.localDate, b.localDate) || cmp(a.code, b.code) || cmp(order(a), order(b)));
}

/** A policy set for an area (any level of the tree), a station or a zone. */
export interface AreaPolicy {
  target: Target;
  policy: AirTimePolicy;
}

const LIMITS = ['maxSessionsPerDay', 'maxMinutesPerSession', 'maxDaysPerWeek'] as const;

/**
 * The policy in force at a station: each field comes from the most specific area that sets it (the
 * deepest in the station's chain; a station's own rule deepest of all), so a province rule (2 sessions,
 * 5 days, 15 minutes) can be relaxed for rural communes by a commune rule of 45 minutes alone.
 * Rules at the same depth combine to the stricter value. Enforcement is 'refuse' if any applicable rule
 * says so: a lower level can tailor the limits but not turn a refusal into a mere warning.
 * On `localDate`, only the policies its day rules allow (one limited to Tết, one sparing Tết); without a
 * date, those of an ordinary day (no policy limited to named days). Null when no area has a policy.
 */
export function effectivePolicy(
  areas: AreaPolicy[],
  station: StationInfo,
  localDate?: string,
): AirTimePolicy | null {
  const applicable = areas
    .filter((a) => targetIncludes(a.target, station) && inForceOn(a.policy, localDate))
    .map((a) => ({ depth: targetDepth(a.target, station), policy: a.policy }));
  if (applicable.length === 0) return null;
  const refuse = applicable.some((a) => a.policy.enforcement === 'refuse');
  const out: AirTimePolicy = { enforcement: refuse ? 'refuse' : 'warn' };
  for (const depth of [...new Set(applicable.map((a) => a.depth))].sort((a, b) => a - b)) {
    const level = applicable.filter((a) => a.depth === depth).map((a) => a.policy);
    for (const field of LIMITS) {
      const values = level.flatMap((p) => (p[field] === undefined ? [] : [p[field]]));
      if (values.length) out[field] = Math.min(...values);
    }
    const gaps = level.flatMap((p) => (p.sessionGapMinutes === undefined ? [] : [p.sessionGapMinutes]));
    if (gaps.length) out.sessionGapMinutes = Math.max(...gaps);
  }
  return out;
}

const inForceOn = (p: AirTimePolicy, localDate: string | undefined) =>
  localDate === undefined ? !p.days : daysAllow(p, localDate);

/** The policy in force at a station day by day (effectivePolicy on each date); null when no area has one. */
export function dailyPolicy(areas: AreaPolicy[], station: StationInfo): DailyPolicy | null {
  if (!areas.some((a) => targetIncludes(a.target, station))) return null;
  const known = new Map<string, AirTimePolicy | null>();
  return (date) => {
    if (!known.has(date)) known.set(date, effectivePolicy(areas, station, date));
    return known.get(date) ?? null;
  };
}

/** Whether a breach is refused: the policy in force on its day (on any of its days, for a week) says so. */
export function breachRefused(b: PolicyBreach, policy: AirTimePolicy | DailyPolicy): boolean {
  const on = byDay(policy);
  return (b.code === 'days-per-week' ? b.localDates : [b.localDate]).some(
    (d) => on(d)?.enforcement === 'refuse',
  );
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
  policy: AirTimePolicy | DailyPolicy,
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
