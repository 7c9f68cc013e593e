// Summaries of the as-run log, kept for ever (the detailed rows are exported and deleted after the
// retention period, retention.ts): per local day, station, slot and campaign, per day and station, and
// per month and station (a province's month is 30,000 rows, not 900,000), the records of each outcome
// and reason and the milliseconds on air. They are written in the ingest's
// own transaction, for the records it really stored, so a summary always equals its rows; with them,
// every record ever received counted by outcome (the metrics' counter, never lowered by the archive).

import type Database from 'better-sqlite3';
import { DEFAULT_TIMEZONE } from '../../schedules/model.ts';
import { utcToZoned, zonedToUtc } from '../../schedules/time.ts';

/** The database (its type from the driver: db.ts runs this file's migration). */
type Db = Database.Database;

/** The zone whose days the summaries count: the deployment's (Vietnam has one). */
export const SUMMARY_ZONE = DEFAULT_TIMEZONE;

const days = new Map<string, string>();
/** The local date (YYYY-MM-DD) of an instant in SUMMARY_ZONE; cached by the minute. */
export function summaryDay(iso: string): string {
  const minute = iso.slice(0, 16);
  let day = days.get(minute);
  if (day === undefined) {
    if (days.size > 50_000) days.clear();
    day = utcToZoned(new Date(iso), SUMMARY_ZONE).date;
    days.set(minute, day);
  }
  return day;
}

/** The instant (UTC ISO) a summary day starts. */
export const dayStart = (day: string) => zonedToUtc(day, '00:00', SUMMARY_ZONE).toISOString();

/**
 * What a record counts on air: a played record's audio, from its first sample to its end; a relay's or a
 * live session's, the sound actually heard (drops and silence left out).
 */
export function onAirMs(
  outcome: string,
  audioStartAt: string | null,
  audioEndAt: string | null,
  heardMs: number | null = null,
): number {
  if (outcome === 'relay' || outcome === 'live') return heardMs ?? 0;
  if (outcome !== 'played' || !audioStartAt || !audioEndAt) return 0;
  return Math.max(0, Date.parse(audioEndAt) - Date.parse(audioStartAt));
}

/** Relays and live speech (issue 14): the milliseconds heard of a relay or live record. */
export const PLAYS_HEARD = 'ALTER TABLE plays ADD COLUMN heard_ms INTEGER;';

export interface Summarised {
  stationId: string;
  slotId: string | null;
  campaignId: string | null;
  scheduledAt: string;
  outcome: string;
  reason: string | null;
  audioStartAt: string | null;
  audioEndAt: string | null;
  heardMs?: number | null;
}

const UPSERT_PLAY_DAY = `INSERT INTO play_days (day, station_id, slot_id, campaign_id, outcome, reason, records, on_air_ms)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT DO UPDATE SET records = records + excluded.records, on_air_ms = on_air_ms + excluded.on_air_ms`;
const UPSERT_STATION_DAY = `INSERT INTO station_days (day, station_id, outcome, reason, records, on_air_ms)
  VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT DO UPDATE SET records = records + excluded.records, on_air_ms = on_air_ms + excluded.on_air_ms`;

const UPSERT_STATION_MONTH = `INSERT INTO station_months (month, station_id, outcome, reason, records, on_air_ms)
  VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT DO UPDATE SET records = records + excluded.records, on_air_ms = on_air_ms + excluded.on_air_ms`;
const UPSERT_TOTAL = `INSERT INTO plays_totals (outcome, records) VALUES (?, ?)
  ON CONFLICT DO UPDATE SET records = records + excluded.records`;

type Statement = ReturnType<Db['prepare']>;
const statements = new WeakMap<
  Db,
  { playDay: Statement; stationDay: Statement; stationMonth: Statement; total: Statement }
>();

/** Adds newly stored records to the summaries; the caller's transaction holds both. */
export function summarise(db: Db, records: Summarised[]): void {
  if (!records.length) return;
  let s = statements.get(db);
  if (!s) {
    s = {
      playDay: db.prepare(UPSERT_PLAY_DAY),
      stationDay: db.prepare(UPSERT_STATION_DAY),
      stationMonth: db.prepare(UPSERT_STATION_MONTH),
      total: db.prepare(UPSERT_TOTAL),
    };
    statements.set(db, s);
  }
  // A batch from one station mostly falls on a few days and slots: one upsert per key, not per record.
  const perSlot = new Map<string, [string[], number, number]>();
  const perStation = new Map<string, [string[], number, number]>();
  const perMonth = new Map<string, [string[], number, number]>();
  const perOutcome = new Map<string, [string[], number, number]>();
  const tally = (map: typeof perSlot, key: string[], ms: number) => {
    const k = key.join('\u0000');
    const t = map.get(k);
    if (t) {
      t[1]++;
      t[2] += ms;
    } else map.set(k, [key, 1, ms]);
  };
  for (const r of records) {
    const day = summaryDay(r.scheduledAt);
    const ms = onAirMs(r.outcome, r.audioStartAt, r.audioEndAt, r.heardMs);
    const reason = r.reason ?? '';
    tally(perSlot, [day, r.stationId, r.slotId ?? '', r.campaignId ?? '', r.outcome, reason], ms);
    tally(perStation, [day, r.stationId, r.outcome, reason], ms);
    tally(perMonth, [day.slice(0, 7), r.stationId, r.outcome, reason], ms);
    tally(perOutcome, [r.outcome], 0);
  }
  for (const [key, n, ms] of perSlot.values()) s.playDay.run([...key, n, ms]);
  for (const [key, n, ms] of perStation.values()) s.stationDay.run([...key, n, ms]);
  for (const [key, n, ms] of perMonth.values()) s.stationMonth.run([...key, n, ms]);
  for (const [key, n] of perOutcome.values()) s.total.run([...key, n]);
}

/** The migration that creates the summaries and fills them from the rows already stored. */
export function createSummaries(db: Db): void {
  db.exec(`CREATE TABLE play_days (
     day TEXT NOT NULL,
     station_id TEXT NOT NULL,
     slot_id TEXT NOT NULL,
     campaign_id TEXT NOT NULL,
     outcome TEXT NOT NULL,
     reason TEXT NOT NULL,
     records INTEGER NOT NULL,
     on_air_ms INTEGER NOT NULL,
     PRIMARY KEY (day, station_id, slot_id, campaign_id, outcome, reason)
   ) WITHOUT ROWID;
   CREATE INDEX play_days_campaign ON play_days(campaign_id, day);
   CREATE TABLE station_days (
     day TEXT NOT NULL,
     station_id TEXT NOT NULL,
     outcome TEXT NOT NULL,
     reason TEXT NOT NULL,
     records INTEGER NOT NULL,
     on_air_ms INTEGER NOT NULL,
     PRIMARY KEY (day, station_id, outcome, reason)
   ) WITHOUT ROWID;
   CREATE INDEX station_days_station ON station_days(station_id, day);
   CREATE TABLE station_months (
     month TEXT NOT NULL,
     station_id TEXT NOT NULL,
     outcome TEXT NOT NULL,
     reason TEXT NOT NULL,
     records INTEGER NOT NULL,
     on_air_ms INTEGER NOT NULL,
     PRIMARY KEY (month, station_id, outcome, reason)
   ) WITHOUT ROWID;
   CREATE TABLE plays_totals (outcome TEXT PRIMARY KEY, records INTEGER NOT NULL);
   CREATE TABLE plays_archive (
     file TEXT PRIMARY KEY,
     month TEXT NOT NULL,
     records INTEGER NOT NULL,
     sha256 TEXT NOT NULL,
     exported_at TEXT NOT NULL,
     deleted_at TEXT
   );`);
  db.function('summary_day', { deterministic: true }, (iso) => summaryDay(String(iso)));
  db.function('on_air_ms', { deterministic: true }, (outcome, start, end) =>
    onAirMs(String(outcome), start as string | null, end as string | null),
  );
  db.exec(`INSERT INTO play_days
     SELECT summary_day(scheduled_at), station_id, coalesce(slot_id, ''), coalesce(campaign_id, ''), outcome,
            coalesce(reason, ''), count(*), sum(on_air_ms(outcome, audio_start_at, audio_end_at))
     FROM plays GROUP BY 1, 2, 3, 4, 5, 6;
   INSERT INTO station_days
     SELECT day, station_id, outcome, reason, sum(records), sum(on_air_ms)
     FROM play_days GROUP BY day, station_id, outcome, reason;
   INSERT INTO station_months
     SELECT substr(day, 1, 7), station_id, outcome, reason, sum(records), sum(on_air_ms)
     FROM station_days GROUP BY 1, 2, 3, 4;
   INSERT INTO plays_totals SELECT outcome, count(*) FROM plays GROUP BY outcome;`);
}
