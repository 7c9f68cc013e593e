// The timetable as ward staff read it: whole local days, every entry with its reason code and words.
import type { TimetableEntry } from '../../schedules/model.ts';
import { reasonText } from '../../schedules/reason-words.ts';
import { skipReasonCode, skipReasonDetail } from '../../schedules/reasons.ts';
import { addDays, utcToZoned, zonedToUtc } from '../../schedules/time.ts';
import { badRequest } from './errors.ts';

export type EntryView = TimetableEntry & {
  /** The as-run reason code of a skipped entry (`online-class`, `local-stop`, ...), else null. */
  reason: string | null;
  /** One English sentence on why, else null. */
  detail: string | null;
  reasonText: { vi: string; en: string } | null;
};

export function entryView(e: TimetableEntry): EntryView {
  if (e.status !== 'skipped') return { ...e, reason: null, detail: null, reasonText: null };
  const reason = skipReasonCode(e.skip);
  return {
    ...e,
    reason,
    detail: skipReasonDetail(e.skip),
    reasonText: { vi: reasonText('vi', reason), en: reasonText('en', reason) },
  };
}

/** Local midnight of today and of `days` days later, in the station's zone. */
export function dayRange(now: Date, tz: string, days: number) {
  const today = utcToZoned(now, tz).date;
  const dates = Array.from({ length: days }, (_, i) => addDays(today, i));
  return {
    dates,
    from: zonedToUtc(today, '00:00:00', tz),
    to: zonedToUtc(addDays(today, days), '00:00:00', tz),
  };
}

/**
 * An instant from the API: an ISO instant with `Z` or an offset, or a local `YYYY-MM-DDTHH:MM[:SS]`
 * read in the station's zone (what a phone's date and time fields give). Undefined stays undefined.
 */
export function instantOf(value: unknown, field: string, tz: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw badRequest(`${field} must be a date and time`);
  const local = /^(\d{4}-\d{2}-\d{2})[T ]((?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)$/.exec(value);
  if (local) {
    const [date, time] = [local[1] as string, local[2] as string];
    const d = zonedToUtc(date, time.length === 5 ? `${time}:00` : time, tz);
    if (Number.isNaN(d.getTime()) || utcToZoned(d, tz).date !== date)
      throw badRequest(`${field}: ${value} is not a date and time`);
    return d.toISOString();
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value))
    throw badRequest(`${field} must be YYYY-MM-DDTHH:MM (station time) or an ISO instant, got ${value}`);
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw badRequest(`${field}: ${value} is not a date and time`);
  return new Date(t).toISOString();
}

export const localClock = (iso: string, tz: string) => utcToZoned(new Date(iso), tz).time.slice(0, 5);
export const localStamp = (iso: string, tz: string) => {
  const z = utcToZoned(new Date(iso), tz);
  return `${z.date.slice(8, 10)}/${z.date.slice(5, 7)} ${z.time.slice(0, 5)}`;
};
/** `HH:MM dd/mm/yyyy` in the station's zone, as ward staff read a date and time. */
export const localFull = (iso: string, tz: string) => {
  const z = utcToZoned(new Date(iso), tz);
  return `${z.time.slice(0, 5)} ${z.date.slice(8, 10)}/${z.date.slice(5, 7)}/${z.date.slice(0, 4)}`;
};
