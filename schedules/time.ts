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

/**
 * The zone Date's local-time methods follow in this process (its owner set process.env.TZ to it), if any.
 * Wall fields in that zone are read from Date: the same ICU zone rules without Intl.DateTimeFormat, whose
 * locale data costs a small device about 7 MB of memory (the edge agent, test/bench/RESULTS.md). Other
 * zones still go through Intl.
 */
let processZone: string | null = null;

/** Declares (or, with null, forgets) the zone of this process's local time; see `processZone`. */
export function useProcessZone(timeZone: string | null): void {
  processZone = timeZone;
}

/** Wall-clock fields of an instant in a zone; format() + digit split is ~4x faster than formatToParts(). */
function wallFields(ms: number, timeZone: string): [number, number, number, number, number, number] {
  if (timeZone === processZone) {
    const t = new Date(ms);
    return [t.getFullYear(), t.getMonth() + 1, t.getDate(), t.getHours(), t.getMinutes(), t.getSeconds()];
  }
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

/**
 * Compiling thousands of stations in one zone asks the same few questions again and again (the same
 * dates, the same local times, the same instants), so the pure helpers below remember their answers.
 * Each table is cleared when full rather than evicted piecemeal, which keeps it simple and bounded.
 */
class Memo<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(key: K): V | undefined {
    return this.map.get(key);
  }
  set(key: K, value: V): V {
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(key, value);
    return value;
  }
}

/** One calendar date: its fields, ISO weekday, and the dates a few days from it once asked for. */
interface DayInfo {
  ymd: [number, number, number];
  weekday: number;
  plus: Map<number, string>;
}
const days = new Memo<string, DayInfo>(20_000);

function dayInfo(localDate: string): DayInfo {
  const known = days.get(localDate);
  if (known) return known;
  const [y, m, d] = localDate.split('-').map(Number);
  const ymd: [number, number, number] = [y ?? Number.NaN, m ?? Number.NaN, d ?? Number.NaN];
  const weekday = new Date(Date.UTC(ymd[0], ymd[1] - 1, ymd[2])).getUTCDay() || 7;
  return days.set(localDate, { ymd, weekday, plus: new Map() });
}

function parseDate(localDate: string): [number, number, number] {
  return dayInfo(localDate).ymd;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function formatUtcDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

// zone -> local date -> local time -> instant; counted over all zones so that it stays bounded.
const zoned = new Map<string, Map<string, Map<string, number>>>();
let zonedCount = 0;
const ZONED_CACHE_MAX = 50_000;

/**
 * The instant at which the wall clock in `timeZone` reads `localDate localTime` ('HH:MM' or 'HH:MM:SS').
 * - A time skipped by a DST gap is moved forward by the gap, into the later offset
 *   (Europe/Berlin 2021-03-28 02:30 -> 03:30 CEST), as java.time and Temporal's 'compatible' do.
 * - A time that occurs twice (clocks turned back) gives the earlier instant (the first 02:30).
 */
export function zonedToUtc(localDate: string, localTime: string, timeZone: string): Date {
  return new Date(zonedToUtcMs(localDate, localTime, timeZone));
}

/** zonedToUtc as epoch milliseconds, without allocating a Date. */
export function zonedToUtcMs(localDate: string, localTime: string, timeZone: string): number {
  let byDate = zoned.get(timeZone);
  let byTime = byDate?.get(localDate);
  const cached = byTime?.get(localTime);
  if (cached !== undefined) return cached;

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

  if (zonedCount >= ZONED_CACHE_MAX) {
    zoned.clear();
    zonedCount = 0;
    byDate = undefined;
    byTime = undefined;
  }
  if (!byDate) {
    byDate = new Map();
    zoned.set(timeZone, byDate);
  }
  if (!byTime) {
    byTime = new Map();
    byDate.set(localDate, byTime);
  }
  byTime.set(localTime, result);
  zonedCount++;
  return result;
}

const wallClocks = new Memo<string, { date: string; time: string; weekday: number }>(20_000);
const isoStrings = new Memo<number, string>(50_000);

/** The wall-clock date, time and ISO weekday (1 = Monday ... 7 = Sunday) of an instant in `timeZone`. */
export function utcToZoned(instant: Date, timeZone: string): { date: string; time: string; weekday: number } {
  const ms = instant.getTime();
  const key = `${timeZone} ${ms}`;
  const known = wallClocks.get(key);
  if (known) return { ...known };
  const [y, mo, d, h, mi, s] = wallFields(ms, timeZone);
  const date = `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
  const wall = { date, time: `${pad(h)}:${pad(mi)}:${pad(s)}`, weekday: isoWeekday(date) };
  wallClocks.set(key, wall);
  return { ...wall };
}

/** The ISO 8601 UTC form of an instant (Date.prototype.toISOString), remembered for instants seen often. */
export function isoInstant(ms: number): string {
  const known = isoStrings.get(ms);
  if (known !== undefined) return known;
  return isoStrings.set(ms, new Date(ms).toISOString());
}

/** Calendar arithmetic on 'YYYY-MM-DD' (no timezone involved). */
export function addDays(localDate: string, count: number): string {
  const info = dayInfo(localDate);
  const known = info.plus.get(count);
  if (known !== undefined) return known;
  const [y, m, d] = info.ymd;
  const result = formatUtcDate(Date.UTC(y, m - 1, d + count));
  if (info.plus.size < 64) info.plus.set(count, result);
  return result;
}

/** ISO weekday of a calendar date: 1 = Monday (Thứ Hai) ... 7 = Sunday (Chủ nhật). */
export function isoWeekday(localDate: string): number {
  return dayInfo(localDate).weekday;
}
