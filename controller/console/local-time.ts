// Dates and times as people read and type them, the one home for it (console pages, forms, messages, CSV,
// print): local time in the deployment's zone (or a station's own), dates as dd/mm/yyyy, 24-hour clocks.
// The API keeps UTC instants and yyyy-mm-dd calendar days; only what a person sees is converted here.
import { DEFAULT_TIMEZONE } from '../../schedules/model.ts';
import { utcToZoned, zonedToUtc } from '../../schedules/time.ts';

export type DateLang = 'vi' | 'en';
type Instant = string | Date;
const zoned = (at: Instant, timeZone: string) =>
  utcToZoned(typeof at === 'string' ? new Date(at) : at, timeZone);

/** A calendar day (yyyy-mm-dd, as the API keeps it) as dd/mm/yyyy; anything else is left as it is. */
export function dayText(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : day;
}

/** The local day of an instant: dd/mm/yyyy. */
export const localDate = (at: Instant, timeZone = DEFAULT_TIMEZONE) => dayText(zoned(at, timeZone).date);

/** The local clock of an instant: HH:mm, or HH:mm:ss with `seconds`. */
export const localClock = (at: Instant, timeZone = DEFAULT_TIMEZONE, seconds = false) =>
  zoned(at, timeZone).time.slice(0, seconds ? 8 : 5);

/** An instant as dd/mm/yyyy HH:mm in the zone (the deployment's by default). */
export function localStamp(at: Instant, timeZone = DEFAULT_TIMEZONE): string {
  return `${localDate(at, timeZone)} ${localClock(at, timeZone)}`;
}

/** An instant as dd/mm/yyyy HH:mm:ss: records (as-run, bulletin states) where seconds matter. */
export const localStampSeconds = (at: Instant, timeZone = DEFAULT_TIMEZONE) =>
  `${localDate(at, timeZone)} ${localClock(at, timeZone, true)}`;

/** A stamp or '-' for an instant that is not there. */
export const stampOrDash = (at: Instant | null | undefined, timeZone = DEFAULT_TIMEZONE, seconds = false) =>
  at ? (seconds ? localStampSeconds(at, timeZone) : localStamp(at, timeZone)) : '-';

/** Two calendar days: "01/12/2026 - 31/12/2026", one day alone when they are the same. */
export const dayRange = (from: string, to: string) =>
  from === to ? dayText(from) : `${dayText(from)} - ${dayText(to)}`;

/** Two instants: the day once when both fall on the same local day ("05/12/2026 00:20 → 01:20"). */
export function stampRange(from: Instant, to: Instant, timeZone = DEFAULT_TIMEZONE): string {
  const sameDay = zoned(from, timeZone).date === zoned(to, timeZone).date;
  return `${localStamp(from, timeZone)} → ${sameDay ? localClock(to, timeZone) : localStamp(to, timeZone)}`;
}

/** Today's calendar day where the people are (yyyy-mm-dd, for the API and form values), not UTC's. */
export const localToday = (now: Date = new Date(), timeZone = DEFAULT_TIMEZONE) =>
  utcToZoned(now, timeZone).date;

const validDay = (y: number, m: number, d: number) => {
  const probe = new Date(Date.UTC(y, m - 1, d));
  return (
    y >= 1900 && probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d
  );
};
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * A day as typed: dd/mm/yyyy (d/m/yyyy, with / . or - between) or yyyy-mm-dd; answers yyyy-mm-dd, or null
 * when it is not a real day (31/02/2026). The console's date fields are text fields that show dd/mm/yyyy
 * whatever the browser's language, and take either form.
 */
export function readDay(text: unknown): string | null {
  const s = String(text ?? '').trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  const vn = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : vn ? [vn[3], vn[2], vn[1]] : [];
  if (!y) return null;
  return validDay(+y, +(m as string), +(d as string))
    ? `${y}-${pad(+(m as string))}-${pad(+(d as string))}`
    : null;
}

/** A day and time as typed (dd/mm/yyyy HH:mm, or yyyy-mm-ddTHH:mm) read in the zone: a UTC instant, or null. */
export function readStamp(text: unknown, timeZone = DEFAULT_TIMEZONE): string | null {
  const m = /^(.+?)[ T]+(\d{1,2}):(\d{2})$/.exec(String(text ?? '').trim());
  const day = m ? readDay(m[1]) : null;
  if (!m || !day || +(m[2] as string) > 23) return null;
  return zonedToUtc(day, `${pad(+(m[2] as string))}:${m[3]}`, timeZone).toISOString();
}

/**
 * A time of day as typed, on a 24-hour clock: 6:30, 06:30, 6h30, 06:30:15; answers HH:mm (HH:mm:ss when
 * seconds are typed), or null. The console's time fields are text fields too: a `<input type=time>`
 * shows AM/PM in an English browser.
 */
export function readClock(text: unknown): string | null {
  const m = /^(\d{1,2})\s*[:hH.]\s*(\d{2})(?::(\d{2}))?$/.exec(String(text ?? '').trim());
  if (!m || +(m[1] as string) > 23 || +(m[2] as string) > 59 || +(m[3] ?? 0) > 59) return null;
  return `${pad(+(m[1] as string))}:${m[2]}${m[3] ? `:${m[3]}` : ''}`;
}

/** What the date fields say when they are empty, and what a date that cannot be read is answered with. */
export const DATE_WORDS = {
  dayPlaceholder: { vi: 'dd/mm/yyyy', en: 'dd/mm/yyyy' },
  stampPlaceholder: { vi: 'dd/mm/yyyy HH:mm', en: 'dd/mm/yyyy HH:mm' },
  clockPlaceholder: { vi: 'HH:mm (24 giờ)', en: 'HH:mm (24-hour)' },
  badClock: {
    vi: (v: string) => `Giờ "${v}" không hợp lệ: hãy nhập giờ:phút theo 24 giờ, ví dụ 06:30 hoặc 17:45.`,
    en: (v: string) => `"${v}" is not a time: type hour:minute on a 24-hour clock, e.g. 06:30 or 17:45.`,
  },
  badDay: {
    vi: (v: string) => `Ngày "${v}" không hợp lệ: hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/12/2026.`,
    en: (v: string) => `"${v}" is not a date: type it as day/month/year, e.g. 05/12/2026.`,
  },
  badStamp: {
    vi: (v: string) =>
      `Thời điểm "${v}" không hợp lệ: hãy nhập ngày/tháng/năm giờ:phút, ví dụ 05/12/2026 18:30.`,
    en: (v: string) =>
      `"${v}" is not a date and time: type it as day/month/year hour:minute, e.g. 05/12/2026 18:30.`,
  },
} as const;

/** The pattern a date field offers the browser (dd/mm/yyyy or yyyy-mm-dd), checked again on the server. */
export const DAY_INPUT_PATTERN =
  '\\s*(\\d{1,2}[\\/.\\-]\\d{1,2}[\\/.\\-]\\d{4}|\\d{4}-\\d{1,2}-\\d{1,2})\\s*';

const INSTANT_IN_TEXT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})\b/g;
const DAY_IN_TEXT = /\b(\d{4})-(\d{2})-(\d{2})\b/g;

/**
 * Free text written by a machine (a station's detail, "plays at 2026-12-04T23:30:00.000Z") as people read
 * it: every UTC instant in it becomes a local stamp, every yyyy-mm-dd day dd/mm/yyyy.
 */
export function localizeText(text: string, timeZone = DEFAULT_TIMEZONE): string {
  return text
    .replace(INSTANT_IN_TEXT, (iso) => (Number.isNaN(Date.parse(iso)) ? iso : localStamp(iso, timeZone)))
    .replace(DAY_IN_TEXT, (_s, y, m, d) => `${d}/${m}/${y}`);
}
