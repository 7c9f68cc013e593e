// Shared internals of the compiler: deterministic ordering, date iteration and quiet-window expansion.
import { daysAllow } from '../calendar/days.ts';
import type { QuietWindow, Slot } from '../model.ts';
import { addDays, isoWeekday, zonedToUtcMs } from '../time.ts';

export interface QuietInterval {
  start: number;
  end: number;
  window: QuietWindow;
}

// Code-unit order, not localeCompare: agent and controller must agree whatever their locale.
export const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
// Ids should be unique; the JSON fallback keeps the result independent of input order even if they are not.
export const byId = <T extends { id: string }>(a: T, b: T) =>
  cmp(a.id, b.id) || cmp(JSON.stringify(a), JSON.stringify(b));

export const seconds = (time: string) => (time.length === 5 ? `${time}:00` : time);

export function* dates(first: string, last: string): Generator<string> {
  for (let d = first; d <= last; d = addDays(d, 1)) yield d;
}

export const onDate = (rule: Slot | QuietWindow, date: string, weekday: number) =>
  rule.weekdays.includes(weekday) && rule.startDate <= date && date <= rule.endDate;

/**
 * Whether a quiet window applies on a local date: its weekdays and dates, less its excepted dates (school
 * holidays inside a term: no online classes), and its day rules (only on Tết, not on holidays, ...).
 */
export const quietOnDate = (window: QuietWindow, date: string, weekday = isoWeekday(date)) =>
  onDate(window, date, weekday) && !window.exceptDates?.includes(date) && daysAllow(window, date);

/** Quiet intervals of windows dated first..last (a window's date is the day it starts), earliest first. */
export function expandQuiet(
  windows: QuietWindow[],
  first: string,
  last: string,
  tz: string,
): QuietInterval[] {
  const out: QuietInterval[] = [];
  for (const date of dates(first, last)) {
    const weekday = isoWeekday(date);
    for (const window of windows) {
      if (!quietOnDate(window, date, weekday)) continue;
      const pastMidnight = seconds(window.endTime) <= seconds(window.startTime);
      const start = zonedToUtcMs(date, window.startTime, tz);
      const end = zonedToUtcMs(pastMidnight ? addDays(date, 1) : date, window.endTime, tz);
      // a window whose times fall in a DST gap can collapse (02:00-03:00 -> nothing); it then blocks nothing
      if (end > start) out.push({ start, end, window });
    }
  }
  return out.sort((a, b) => a.start - b.start || byId(a.window, b.window));
}
