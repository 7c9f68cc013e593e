// Timezone helpers for local dates/times, built only on Intl.DateTimeFormat so they run anywhere Node runs.

const DAY_MS = 86_400_000;

// Constructing an Intl.DateTimeFormat costs far more than using one, so keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a zone; format() + digit split is ~4x faster than formatToParts(). */
function wallFields(ms: number, timeZone: string): [number, number, number, number, number, number] {
  // en-US numeric pattern is always month, day, year, hour, minute, second
  const d = formatterFor(timeZone).format(ms).match(/\d+/g);
  if (d?.length !== 6) throw new Error(`unexpected Intl output for ${timeZone}`);
  return [Number(d[2]), Number(d[0]), Number(d[1]), Number(d[3]), Number(d[4]), Number(d[5])];
}

/** UTC offset of the zone at an instant, in ms (wall clock read as UTC minus the instant). */
function offsetAt(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const [y, mo, d, h, mi, s] = wallFields(whole, timeZone);
  return Date.UTC(y, mo - 1, d, h, mi, s) - whole;
}

function parseDate(localDate: string): [number, number, number] {
  const [y, m, d] = localDate.split('-').map(Number);
  return [y ?? Number.NaN, m ?? Number.NaN, d ?? Number.NaN];
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function formatUtcDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

// Compiling thousands of stations in one zone repeats the same few (date, time) pairs; the cache is
// cleared when full rather than evicted piecemeal, which keeps it simple and bounded.
const zonedCache = new Map<string, number>();
const ZONED_CACHE_MAX = 50_000;

/**
 * The instant at which the wall clock in `timeZone` reads `localDate localTime` ('HH:MM' or 'HH:MM:SS').
 * - A time skipped by a DST gap is moved forward by the gap, into the later offset
 *   (Europe/Berlin 2021-03-28 02:30 -> 03:30 CEST), as java.time and Temporal's 'compatible' do.
 * - A time that occurs twice (clocks turned back) gives the earlier instant (the first 02:30).
 */
export function zonedToUtc(localDate: string, localTime: string, timeZone: string): Date {
  const key = `${timeZone} ${localDate} ${localTime}`;
  const cached = zonedCache.get(key);
  if (cached !== undefined) return new Date(cached);

  const [y, mo, d] = parseDate(localDate);
  const [h = 0, mi = 0, s = 0] = localTime.split(':').map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  // Offsets a day either side bracket any single transition near this wall time.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  let result = wall - before;
  if (before !== after) {
    const valid = [wall - before, wall - after].filter((t) => offsetAt(t, timeZone) === wall - t);
    // none valid: a gap, and wall - before lands after the transition, i.e. shifted forward
    if (valid.length > 0) result = Math.min(...valid);
  }

  if (zonedCache.size >= ZONED_CACHE_MAX) zonedCache.clear();
  zonedCache.set(key, result);
  return new Date(result);
}

/** The wall-clock date, time and ISO weekday (1 = Monday ... 7 = Sunday) of an instant in `timeZone`. */
export function utcToZoned(instant: Date, timeZone: string): { date: string; time: string; weekday: number } {
  const [y, mo, d, h, mi, s] = wallFields(instant.getTime(), timeZone);
  const date = `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
  return { date, time: `${pad(h)}:${pad(mi)}:${pad(s)}`, weekday: isoWeekday(date) };
}

/** Calendar arithmetic on 'YYYY-MM-DD' (no timezone involved). */
export function addDays(localDate: string, days: number): string {
  const [y, m, d] = parseDate(localDate);
  return formatUtcDate(Date.UTC(y, m - 1, d + days));
}

/** ISO weekday of a calendar date: 1 = Monday (Thứ Hai) ... 7 = Sunday (Chủ nhật). */
export function isoWeekday(localDate: string): number {
  const [y, m, d] = parseDate(localDate);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay() || 7;
}
