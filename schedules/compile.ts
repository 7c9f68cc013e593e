// Compiles one station's slots and quiet windows into a dated timetable; shared by the edge agent and the controller.
import type { ClipRef, QuietWindow, SkipReason, Slot, StationInfo, TimetableEntry } from './model.ts';
import { targetIncludes } from './targets.ts';
import { addDays, isoWeekday, utcToZoned, zonedToUtc } from './time.ts';

export interface CompileInput {
  station: StationInfo;
  slots: Slot[];
  quietWindows: QuietWindow[];
  clips: Pick<ClipRef, 'id' | 'durationMs'>[];
}

export interface CompileOptions {
  /** Entries starting in [from, to) are produced. */
  from: Date;
  to: Date;
  /** Air time reserved before the first clip (e.g. amplifier warm-up) and after the last. */
  leadMs?: number;
  tailMs?: number;
}

interface Candidate {
  slot: Slot;
  localDate: string;
  start: number;
  end: number;
  skip?: SkipReason;
}

interface QuietInterval {
  start: number;
  end: number;
  window: QuietWindow;
}

// Code-unit order, not localeCompare: agent and controller must agree whatever their locale.
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
// Ids should be unique; the JSON fallback keeps the result independent of input order even if they are not.
const byId = <T extends { id: string }>(a: T, b: T) =>
  cmp(a.id, b.id) || cmp(JSON.stringify(a), JSON.stringify(b));

const seconds = (time: string) => (time.length === 5 ? `${time}:00` : time);
const entryId = (c: Candidate) => `${c.slot.id}@${c.localDate}`;

function* dates(first: string, last: string): Generator<string> {
  for (let d = first; d <= last; d = addDays(d, 1)) yield d;
}

const onDate = (rule: Slot | QuietWindow, date: string, weekday: number) =>
  rule.weekdays.includes(weekday) && rule.startDate <= date && date <= rule.endDate;

/** Quiet intervals of windows dated first..last (a window's date is the day it starts), earliest first. */
function expandQuiet(windows: QuietWindow[], first: string, last: string, tz: string): QuietInterval[] {
  const out: QuietInterval[] = [];
  for (const date of dates(first, last)) {
    const weekday = isoWeekday(date);
    for (const window of windows) {
      if (!onDate(window, date, weekday)) continue;
      const pastMidnight = seconds(window.endTime) <= seconds(window.startTime);
      const start = zonedToUtc(date, window.startTime, tz).getTime();
      const end = zonedToUtc(pastMidnight ? addDays(date, 1) : date, window.endTime, tz).getTime();
      // a window whose times fall in a DST gap can collapse (02:00-03:00 -> nothing); it then blocks nothing
      if (end > start) out.push({ start, end, window });
    }
  }
  return out.sort((a, b) => a.start - b.start || byId(a.window, b.window));
}

/**
 * Every (slot, local date) whose start falls in [from, to) becomes one entry, scheduled or skipped.
 * Skips are decided in this order: unknown clip, quiet window, overlap with an already accepted entry.
 * Overlaps go to whoever starts first; priority only breaks ties between entries starting at the same
 * instant. A later high-priority slot therefore never bumps an earlier one: what is announced stays
 * announced, and the outcome of one entry never depends on entries that start after it.
 */
export function compileTimetable(input: CompileInput, options: CompileOptions): TimetableEntry[] {
  const { station } = input;
  const tz = station.timezone;
  const from = options.from.getTime();
  const to = options.to.getTime();
  const lead = options.leadMs ?? 0;
  const tail = options.tailMs ?? 0;
  if (!(from < to)) return [];

  const slots = input.slots.filter((s) => targetIncludes(s.target, station)).sort(byId);
  const windows = input.quietWindows.filter((w) => targetIncludes(w.target, station)).sort(byId);
  const durations = new Map([...input.clips].sort(byId).map((c) => [c.id, c.durationMs]));

  // A slot dated the day before `from` can still start after it when a DST gap pushes it forward.
  const candidates: Candidate[] = [];
  for (const date of dates(addDays(utcToZoned(options.from, tz).date, -1), utcToZoned(options.to, tz).date)) {
    const weekday = isoWeekday(date);
    for (const slot of slots) {
      if (!onDate(slot, date, weekday)) continue;
      const start = zonedToUtc(date, slot.startTime, tz).getTime();
      if (start < from || start >= to) continue;
      const missing = slot.clipIds.find((id) => !durations.has(id));
      if (missing !== undefined) {
        candidates.push({
          slot,
          localDate: date,
          start,
          end: start,
          skip: { code: 'clip-unknown', clipId: missing },
        });
        continue;
      }
      let end = start;
      for (const id of slot.clipIds) end += durations.get(id) ?? 0;
      candidates.push({ slot, localDate: date, start, end });
    }
  }
  if (candidates.length === 0) return [];

  // Windows dated the day before the earliest air time may run past midnight into it.
  let airFrom = Number.POSITIVE_INFINITY;
  let airTo = Number.NEGATIVE_INFINITY;
  for (const c of candidates) {
    airFrom = Math.min(airFrom, c.start - lead);
    airTo = Math.max(airTo, c.end + tail);
  }
  const quiet = expandQuiet(
    windows,
    addDays(utcToZoned(new Date(airFrom), tz).date, -1),
    utcToZoned(new Date(airTo), tz).date,
    tz,
  );
  for (const c of candidates) {
    if (c.skip) continue;
    const hit = quiet.find((q) => q.start < c.end + tail && c.start - lead < q.end);
    if (hit) c.skip = { code: 'quiet-window', quietWindowId: hit.window.id, quietReason: hit.window.reason };
  }

  const contenders = candidates
    .filter((c) => !c.skip)
    .sort(
      (a, b) =>
        a.start - b.start ||
        b.slot.priority - a.slot.priority ||
        byId(a.slot, b.slot) ||
        cmp(a.localDate, b.localDate),
    );
  // Accepted entries are disjoint and taken in start order, so only the latest one can reach a newcomer.
  let last: Candidate | undefined;
  for (const c of contenders) {
    if (last && c.start - lead < last.end + tail) c.skip = { code: 'overlap', entryId: entryId(last) };
    else last = c;
  }

  return candidates
    .sort((a, b) => a.start - b.start || cmp(entryId(a), entryId(b)))
    .map((c): TimetableEntry => {
      const base = {
        id: entryId(c),
        slotId: c.slot.id,
        campaignId: c.slot.campaignId,
        stationId: station.id,
        clipIds: [...c.slot.clipIds],
        localDate: c.localDate,
        localTime: c.slot.startTime,
        startsAt: new Date(c.start).toISOString(),
        endsAt: new Date(c.end).toISOString(),
      };
      return c.skip ? { ...base, status: 'skipped', skip: c.skip } : { ...base, status: 'scheduled' };
    });
}
