// The as-run log over a period, counted: from the day summaries (rollup.ts) where they cover it, from the
// rows where they must: the partial days at either end, and a station's days on which its place or an
// area above it changed within the day (a report counts each record under the area of its instant).
// Both give the same counts (test/controller/plays/rollup.test.ts compares them on random logs).
import type { Statement } from 'better-sqlite3';
import { addDays } from '../../schedules/time.ts';
import type { History } from '../areas/history.ts';
import type { Db } from '../db.ts';
import { archivedBefore, nextMonth } from './retention.ts';
import { dayStart, onAirMs, summaryDay } from './rollup.ts';

/** Records of one outcome and reason, counted at one instant (a row's own, or its day's start). */
export interface Counted {
  stationId: string;
  /** The instant whose area counts them (UTC ISO). */
  at: string;
  /** The summary day they fall on. */
  day: string;
  outcome: string;
  reason: string | null;
  records: number;
  onAirMs: number;
}

export interface PeriodQuery {
  stations: string[];
  from: string;
  to: string;
  history: History;
  /** One count per station and day (a station's days), rather than per station over the period. */
  byDay?: boolean;
  /** Read every row (the reference the summaries are tested against). */
  rowsOnly?: boolean;
}

export interface PeriodRead {
  /** The period counted: widened to whole days where its ends fall among rows already archived. */
  from: string;
  to: string;
  /** Days read from the summaries, station-days read from rows. */
  summaryDays: number;
  rowReads: number;
}

/** Calls `visit` with the counts of the period; returns what was read. */
export function readPeriod(db: Db, q: PeriodQuery, visit: (c: Counted) => void): PeriodRead {
  const gone = archivedBefore(db);
  // an end among archived rows is widened to its whole day: its rows are only in the summaries now
  const from = gone && q.from < gone ? dayStart(summaryDay(q.from)) : q.from;
  const lastDay = summaryDay(q.to);
  const to = gone && q.to < gone && dayStart(lastDay) < q.to ? dayStart(addDays(lastDay, 1)) : q.to;
  let first = summaryDay(from);
  if (dayStart(first) < from) first = addDays(first, 1);
  const end = summaryDay(to); // days [first, end) are whole
  const stations = JSON.stringify(q.stations);
  const read: PeriodRead = { from, to, summaryDays: 0, rowReads: 0 };
  const rows = (stationList: string, a: string, b: string) => {
    if (a >= b) return;
    read.rowReads++;
    for (const r of rowsBetween(db).iterate(stationList, a, b) as Iterable<RowCount>) {
      const { start, end, heardMs, ...rest } = r;
      visit({ ...rest, day: summaryDay(r.at), records: 1, onAirMs: onAirMs(r.outcome, start, end, heardMs) });
    }
  };
  if (q.rowsOnly || first >= end) {
    rows(stations, from, to);
    return read;
  }
  const wholeFrom = dayStart(first);
  const wholeTo = dayStart(end);
  rows(stations, from, wholeFrom);
  rows(stations, wholeTo, to);
  read.summaryDays = dayCount(first, end);

  const plain: string[] = [];
  for (const st of q.stations) {
    const changes = q.history.changesWithin(st, wholeFrom, wholeTo);
    if (!changes.length) {
      plain.push(st);
      continue;
    }
    // days on which the station's areas changed after midnight are read from their rows, if still held
    const split = new Set(changes.filter((c) => dayStart(summaryDay(c)) !== c).map(summaryDay));
    for (const s of stationDays(db).iterate(st, first, end) as Iterable<SummaryCount>) {
      const start = dayStart(s.day);
      if (split.has(s.day) && !(gone && start < gone)) continue;
      visit({ ...s, stationId: st, at: start, reason: s.reason || null });
    }
    for (const day of split) {
      const start = dayStart(day);
      if (!(gone && start < gone)) rows(JSON.stringify([st]), start, dayStart(addDays(day, 1)));
    }
  }
  const plainList = JSON.stringify(plain);
  const sum = (stmt: Statement<unknown[]>, a: string, b: string) => {
    if (a >= b) return;
    for (const s of stmt.iterate(plainList, a, b) as Iterable<SummaryCount>) {
      const day = s.day ?? first;
      visit({ ...s, day, at: dayStart(day), reason: s.reason || null });
    }
  };
  if (q.byDay) sum(plainByDay(db), first, end);
  else {
    // whole months from the month summaries, the days around them from the day summaries
    const monthFrom = first.endsWith('-01') ? first : nextMonth(first.slice(0, 7));
    const monthTo = `${end.slice(0, 7)}-01`;
    if (monthFrom < monthTo) {
      sum(plainByDays(db), first, monthFrom);
      sum(plainByMonths(db), monthFrom.slice(0, 7), monthTo.slice(0, 7));
      sum(plainByDays(db), monthTo, end);
    } else sum(plainByDays(db), first, end);
  }
  return read;
}

const dayCount = (first: string, end: string) =>
  Math.round((Date.parse(end) - Date.parse(first)) / 86_400_000);

interface RowCount {
  stationId: string;
  at: string;
  outcome: string;
  reason: string | null;
  start: string | null;
  end: string | null;
  heardMs: number | null;
}
interface SummaryCount {
  stationId: string;
  day: string;
  outcome: string;
  reason: string;
  records: number;
  onAirMs: number;
}

const prepared = (sql: string) => {
  const cache = new WeakMap<Db, Statement<unknown[]>>();
  return (db: Db) => {
    let s = cache.get(db);
    if (!s) {
      s = db.prepare(sql);
      cache.set(db, s);
    }
    return s;
  };
};

const rowsBetween = prepared(
  `SELECT station_id AS stationId, scheduled_at AS at, outcome, reason,
          audio_start_at AS start, audio_end_at AS end, heard_ms AS heardMs
   FROM plays WHERE station_id IN (SELECT value FROM json_each(?)) AND scheduled_at >= ? AND scheduled_at < ?`,
);
const stationDays = prepared(
  `SELECT day, outcome, reason, records, on_air_ms AS onAirMs FROM station_days
   WHERE station_id = ? AND day >= ? AND day < ?`,
);
const plainByDays = prepared(
  `SELECT station_id AS stationId, NULL AS day, outcome, reason, sum(records) AS records, sum(on_air_ms) AS onAirMs
   FROM station_days WHERE station_id IN (SELECT value FROM json_each(?)) AND day >= ? AND day < ?
   GROUP BY station_id, outcome, reason`,
);
const plainByMonths = prepared(
  `SELECT station_id AS stationId, NULL AS day, outcome, reason, sum(records) AS records, sum(on_air_ms) AS onAirMs
   FROM station_months WHERE station_id IN (SELECT value FROM json_each(?)) AND month >= ? AND month < ?
   GROUP BY station_id, outcome, reason`,
);
const plainByDay = prepared(
  `SELECT station_id AS stationId, day, outcome, reason, records, on_air_ms AS onAirMs
   FROM station_days WHERE station_id IN (SELECT value FROM json_each(?)) AND day >= ? AND day < ?`,
);
