// Compiles one station's slots and quiet windows into a dated timetable; shared by the edge agent and the controller.
import { slotEntryId } from '../entry-ids.ts';
import type {
  ClipRef,
  Placement,
  QuietWindow,
  SkipReason,
  Slot,
  StationInfo,
  TimetableEntry,
} from '../model.ts';
import type { Override } from '../overrides.ts';
import {
  type AlertPlan,
  applyPrecedence,
  DEFAULT_SESSION_GAP_MS,
  precedenceRules,
} from '../precedence/precedence.ts';
import { shapedMs, shapeFields, shapes } from '../repeat.ts';
import { targetIncludes } from '../targets.ts';
import { addDays, isoInstant, isoWeekday, utcToZoned, zonedToUtcMs } from '../time.ts';
import { byId, cmp, dates, expandQuiet, onDate, type QuietInterval } from './expand.ts';
import { Blockers, findRoom } from './flexible.ts';

export interface CompileInput {
  station: StationInfo;
  slots: Slot[];
  quietWindows: QuietWindow[];
  clips: Pick<ClipRef, 'id' | 'durationMs'>[];
  /** Ward staff's local overrides at the station (schedules/precedence/precedence.ts applies them). */
  overrides?: Override[];
  /** Bulletins the station has received (or, in the controller's preview, that target it). */
  alerts?: AlertPlan[];
  /** Overrides cancelled at the controller: they have no effect (DesiredState.cancelledOverrides). */
  cancelledOverrides?: string[];
}

export interface CompileOptions {
  /** Entries starting in [from, to) are produced. */
  from: Date;
  to: Date;
  /** Air time reserved before the first clip (e.g. amplifier warm-up) and after the last. */
  leadMs?: number;
  tailMs?: number;
  /** Entries less than this apart form one session, where bulletins go; default 30 min. */
  sessionGapMs?: number;
}

interface Candidate {
  slot: Slot;
  localDate: string;
  /** Sound start and end; a flexible entry starts at its window start until it is placed. */
  start: number;
  end: number;
  /** Flexible entries only: the instant by which the sound must have ended. */
  until?: number;
  skip?: SkipReason;
  placement?: Placement;
}

const entryId = (c: Candidate) => slotEntryId(c.slot.id, c.localDate);
const iso = isoInstant;
const flexible = (c: Candidate) => c.until !== undefined;

/** One candidate per (slot, date) in first..last; unknown clips are skipped at once. */
function expandSlots(slots: Slot[], durations: Map<string, number>, first: string, last: string, tz: string) {
  const out: Candidate[] = [];
  for (const date of dates(first, last)) {
    const weekday = isoWeekday(date);
    for (const slot of slots) {
      if (!onDate(slot, date, weekday)) continue;
      const start = zonedToUtcMs(date, slot.startTime, tz);
      const c: Candidate = { slot, localDate: date, start, end: start };
      if (slot.flexibleUntil != null) c.until = zonedToUtcMs(date, slot.flexibleUntil, tz);
      // a relay's air is its hours; a fallback clip the station lacks leaves silence, not a lost relay
      if (slot.relay) c.end = zonedToUtcMs(date, slot.relay.endTime, tz);
      else {
        const missing = slot.clipIds.find((id) => !durations.has(id));
        if (missing !== undefined) c.skip = { code: 'clip-unknown', clipId: missing };
        // read N times with gaps and chimes: the whole of it is the entry's air (schedules/repeat.ts)
        else
          c.end += shapedMs(
            slot.clipIds.reduce((ms, id) => ms + (durations.get(id) ?? 0), 0),
            slot,
          );
      }
      out.push(c);
    }
  }
  return out;
}

/**
 * Flexible entries are placed after every fixed one is decided, so a fixed slot never moves or loses to
 * a flexible one. They go in order of window start, then higher priority, then slot id; each takes the
 * earliest second that fits (see findRoom) and then blocks those placed after it.
 */
function placeFlexible(
  flex: Candidate[],
  accepted: Candidate[],
  quiet: QuietInterval[],
  lead: number,
  tail: number,
) {
  const blockers = new Blockers();
  for (const q of quiet) {
    const { id, reason } = q.window;
    blockers.add({
      start: q.start,
      end: q.end,
      why: { code: 'quiet-window', quietWindowId: id, quietReason: reason },
    });
  }
  const block = (c: Candidate) =>
    blockers.add({ start: c.start - lead, end: c.end + tail, why: { code: 'overlap', entryId: entryId(c) } });
  for (const c of accepted) block(c);
  flex.sort(
    (a, b) =>
      a.start - b.start ||
      b.slot.priority - a.slot.priority ||
      byId(a.slot, b.slot) ||
      cmp(a.localDate, b.localDate),
  );
  for (const c of flex) {
    const until = c.until ?? c.end;
    const duration = c.end - c.start;
    const room = findRoom(c.start, until, duration, blockers, lead, tail);
    if (room.start === null) {
      c.skip = {
        code: 'no-room',
        windowStart: iso(c.start),
        windowEnd: iso(until),
        blockedBy: room.blockedBy,
      };
      continue;
    }
    c.placement = {
      requestedFrom: iso(c.start),
      requestedUntil: iso(until),
      movedBecause: room.movedBecause,
    };
    c.start = room.start;
    c.end = room.start + duration;
    block(c);
  }
}

/**
 * Every (slot, local date) whose start falls in [from, to) becomes one entry, scheduled or skipped; a
 * flexible slot counts by where it is placed (by its window start when it finds no room).
 * Fixed entries are decided first: unknown clip, then quiet window, then overlap with an already accepted
 * entry. Overlaps go to whoever starts first; priority only breaks ties between entries starting at the
 * same instant. A later high-priority slot therefore never bumps an earlier one: what is announced stays
 * announced, and the outcome of one entry never depends on entries that start after it. Flexible entries
 * are then placed around them (placeFlexible).
 */
export function compileTimetable(input: CompileInput, options: CompileOptions): TimetableEntry[] {
  const { station } = input;
  const tz = station.timezone;
  const from = options.from.getTime();
  const to = options.to.getTime();
  const lead = options.leadMs ?? 0;
  const tail = options.tailMs ?? 0;
  if (!(from < to)) return [];
  // overrides and bulletins that bear on [from, to) (null if none), and the instants they reach
  const rules = precedenceRules(input, from, to);

  const slots = input.slots.filter((s) => targetIncludes(s.target, station)).sort(byId);
  const windows = input.quietWindows.filter((w) => targetIncludes(w.target, station)).sort(byId);
  const durations = new Map([...input.clips].sort(byId).map((c) => [c.id, c.durationMs]));

  // Whole days either side of the range are decided too and only then cut to [from, to): an entry that
  // started just before `from` still blocks, so the agent's hourly re-plans and the controller's preview
  // agree whatever range they ask for (as long as no chain of overlapping entries spans a whole day).
  // Two days before also covers a slot dated the day before whose DST-shifted start falls after `from`.
  const candidates = expandSlots(
    slots,
    durations,
    addDays(utcToZoned(new Date(Math.min(from, rules?.first ?? from)), tz).date, -2),
    addDays(utcToZoned(new Date(Math.max(to, rules?.last ?? to)), tz).date, 1),
    tz,
  );
  // a flexible entry lands somewhere in [window start, until]
  const ownEntries = rules !== null && rules.first <= rules.last; // bulletins or announcements
  if (!ownEntries && !candidates.some((c) => c.start < to && (c.until ?? c.start) >= from)) return [];

  // Windows dated the day before the earliest air time may run past midnight into it.
  let airFrom = Number.POSITIVE_INFINITY;
  let airTo = Number.NEGATIVE_INFINITY;
  for (const c of candidates) {
    airFrom = Math.min(airFrom, c.start - lead);
    airTo = Math.max(airTo, (c.until ?? c.end) + tail);
  }
  if (ownEntries) {
    airFrom = Math.min(airFrom, rules.first - lead);
    airTo = Math.max(airTo, rules.last + tail);
  }
  const quiet = expandQuiet(
    windows,
    addDays(utcToZoned(new Date(airFrom), tz).date, -1),
    utcToZoned(new Date(airTo), tz).date,
    tz,
  );
  const fixed = candidates.filter((c) => !flexible(c) && !c.skip);
  for (const c of fixed) {
    const hit = quiet.find((q) => q.start < c.end + tail && c.start - lead < q.end);
    if (hit) c.skip = { code: 'quiet-window', quietWindowId: hit.window.id, quietReason: hit.window.reason };
  }

  const contenders = fixed
    .filter((c) => !c.skip)
    .sort(
      (a, b) =>
        a.start - b.start ||
        b.slot.priority - a.slot.priority ||
        byId(a.slot, b.slot) ||
        cmp(a.localDate, b.localDate),
    );
  // Accepted entries are disjoint and taken in start order, so only the latest one can reach a newcomer.
  const accepted: Candidate[] = [];
  for (const c of contenders) {
    const last = accepted.at(-1);
    if (last && c.start - lead < last.end + tail) c.skip = { code: 'overlap', entryId: entryId(last) };
    else accepted.push(c);
  }
  placeFlexible(
    candidates.filter((c) => flexible(c) && !c.skip),
    accepted,
    quiet,
    lead,
    tail,
  );

  // One literal, then the fields of its kind: building hundreds of thousands of entries (a fleet's week)
  // with spreads of a shared base took longer than the whole rest of the compile.
  const toEntry = (c: Candidate): TimetableEntry => {
    const entry = {
      id: entryId(c),
      slotId: c.slot.id,
      campaignId: c.slot.campaignId,
      stationId: station.id,
      clipIds: c.slot.clipIds.slice(),
      localDate: c.localDate,
      localTime: c.placement ? utcToZoned(new Date(c.start), tz).time : c.slot.startTime,
      startsAt: iso(c.start),
      endsAt: iso(c.end),
      status: c.skip ? 'skipped' : 'scheduled',
    } as TimetableEntry;
    if (c.slot.relay) entry.relay = c.slot.relay;
    else if (shapes(c.slot)) Object.assign(entry, shapeFields(c.slot));
    if (entry.status === 'skipped') entry.skip = c.skip as SkipReason;
    else if (c.placement) entry.placement = c.placement;
    return entry;
  };
  if (!rules) {
    return candidates
      .filter((c) => c.start >= from && c.start < to)
      .sort((a, b) => a.start - b.start || cmp(entryId(a), entryId(b)))
      .map(toEntry);
  }
  // the precedence table (schedules/precedence/precedence.ts): overrides and bulletins over the decided entries
  const sessionGapMs = options.sessionGapMs ?? DEFAULT_SESSION_GAP_MS;
  const decided = applyPrecedence(
    candidates.map((c) => ({ entry: toEntry(c), start: c.start, end: c.end })),
    rules,
    { station, quiet, leadMs: lead, tailMs: tail, sessionGapMs },
  );
  return decided
    .filter((d) => d.start >= from && d.start < to)
    .sort((a, b) => a.start - b.start || cmp(a.entry.id, b.entry.id))
    .map((d) => d.entry);
}
