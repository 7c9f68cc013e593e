// The plays table: as-run records from stations, stored exactly once, read by station, campaign and time.
import type { AsRunRecord } from '../../schedules/protocol.ts';
import type { Db } from '../db.ts';
import { checkAsRunChain } from '../signing/chain.ts';
import { inSubtreeSql } from '../stations/list.ts';
import { summarise } from './rollup.ts';

const INSERT_PLAY = `INSERT OR IGNORE INTO plays (id, station_id, entry_id, slot_id, campaign_id, clip_ids, scheduled_at,
   outcome, reason, detail, relay_on_at, audio_start_at, audio_end_at, relay_off_at, heard_ms, repeat_planned,
   repeat_played, desired_version, recorded_at, received_at)
 VALUES (@id, @stationId, @entryId, @slotId, @campaignId, @clipIds, @scheduledAt, @outcome, @reason, @detail,
   @relayOnAt, @audioStartAt, @audioEndAt, @relayOffAt, @heardMs, @repeatPlanned, @repeatPlayed, @desiredVersion,
   @recordedAt, @receivedAt)`;

/** The insert, prepared once per database: the ingest runs it tens of thousands of times a second. */
const inserts = new WeakMap<Db, ReturnType<Db['prepare']>>();

/**
 * Stores records, and adds those not already stored to the day summaries (rollup.ts); returns the ids now
 * held (new or already stored), which the station may forget. Inside a caller's transaction it runs in
 * it, so a turn of the ingest commits once.
 */
export function storeAsRun(db: Db, records: AsRunRecord[], receivedAt: Date): string[] {
  let insert = inserts.get(db);
  if (!insert) {
    insert = db.prepare(INSERT_PLAY);
    inserts.set(db, insert);
  }
  const stmt = insert;
  const at = receivedAt.toISOString();
  const run = () => {
    const stored = records.filter(
      (r) =>
        stmt.run({
          ...r,
          clipIds: JSON.stringify(r.clipIds),
          heardMs: r.heardMs ?? null,
          repeatPlanned: r.repeat?.planned ?? null,
          repeatPlayed: r.repeat?.played ?? null,
          receivedAt: at,
        }).changes > 0,
    );
    summarise(db, stored);
    // the station's hash chain, checked on the records new here (controller/signing/chain.ts)
    checkAsRunChain(db, stored, receivedAt);
  };
  if (db.inTransaction) run();
  else db.transaction(run)();
  return records.map((r) => r.id);
}

export interface PlayRow {
  id: string;
  station_id: string;
  entry_id: string;
  slot_id: string | null;
  campaign_id: string | null;
  clip_ids: string;
  scheduled_at: string;
  outcome: string;
  reason: string | null;
  detail: string | null;
  relay_on_at: string | null;
  audio_start_at: string | null;
  audio_end_at: string | null;
  relay_off_at: string | null;
  heard_ms: number | null;
  repeat_planned: number | null;
  repeat_played: number | null;
  desired_version: number;
  recorded_at: string;
  received_at: string;
}

/** How many times a record's content was heard to its end (the CSV's "Số lần phát"). */
export const timesPlayed = (r: Pick<PlayRow, 'outcome' | 'repeat_played'>) =>
  r.repeat_played ?? (r.outcome === 'played' ? 1 : 0);

export const playView = (r: PlayRow) => ({
  id: r.id,
  stationId: r.station_id,
  entryId: r.entry_id,
  slotId: r.slot_id,
  campaignId: r.campaign_id,
  clipIds: JSON.parse(r.clip_ids) as string[],
  scheduledAt: r.scheduled_at,
  outcome: r.outcome,
  reason: r.reason,
  detail: r.detail,
  relayOnAt: r.relay_on_at,
  audioStartAt: r.audio_start_at,
  audioEndAt: r.audio_end_at,
  relayOffAt: r.relay_off_at,
  /** Relays and live sessions: the sound heard (ms); null for clips. */
  heardMs: r.heard_ms,
  /** A repeated slot or bulletin: its readings planned and heard to their end; null when it was not repeated. */
  repeat: r.repeat_planned == null ? null : { planned: r.repeat_planned, played: r.repeat_played ?? 0 },
  /** How many times its content was heard to the end: the readings of a repeated one, else 1 if played. */
  timesPlayed: timesPlayed(r),
  desiredVersion: r.desired_version,
  recordedAt: r.recorded_at,
  receivedAt: r.received_at,
});

export interface PlayFilter {
  station?: string;
  campaign?: string;
  outcome?: string;
  from?: string;
  to?: string;
  limit: number;
  /** Each list: only stations in or under one of these areas (an area filter, the caller's scope). */
  areaSets?: string[][];
  /** Stations whose name (without diacritics) or id contains this, already folded. */
  stationText?: string;
  /** The key of the last row of the page before: scheduled_at, station_id, id. */
  after?: (string | number)[] | null;
}

/** Newest first; from inclusive, to exclusive. */
export function listPlays(db: Db, query: PlayFilter): PlayRow[] {
  const where: string[] = [];
  const args: Record<string, unknown> = { limit: query.limit };
  const add = (sql: string, key: string, value: unknown) => {
    if (value === undefined) return;
    where.push(sql);
    args[key] = value;
  };
  add('station_id = @station', 'station', query.station);
  add('campaign_id = @campaign', 'campaign', query.campaign);
  add('outcome = @outcome', 'outcome', query.outcome);
  add('scheduled_at >= @from', 'from', query.from);
  add('scheduled_at < @to', 'to', query.to);
  for (const [i, ids] of (query.areaSets ?? []).entries()) {
    const sql = `station_id IN (SELECT id FROM stations WHERE ${inSubtreeSql('area_id', `areas${i}`)})`;
    add(sql, `areas${i}`, JSON.stringify(ids));
  }
  add(
    `station_id IN (SELECT id FROM stations WHERE vn_fold(name) LIKE @text ESCAPE '\\' OR id LIKE @text ESCAPE '\\')`,
    'text',
    query.stationText,
  );
  if (query.after) {
    where.push(
      `(scheduled_at < @afterAt OR (scheduled_at = @afterAt AND (station_id, id) > (@afterStation, @afterId)))`,
    );
    [args.afterAt, args.afterStation, args.afterId] = query.after;
  }
  const sql = `SELECT * FROM plays ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
               ORDER BY scheduled_at DESC, station_id, id LIMIT @limit`;
  return db.prepare(sql).all(args) as PlayRow[];
}

export const playsOfCampaign = (db: Db, campaignId: string) =>
  db.prepare('SELECT * FROM plays WHERE campaign_id = ?').all(campaignId) as PlayRow[];

/** A campaign's records with their station's name and current area, newest first. */
export const campaignPlaysWithStations = (db: Db, campaignId: string) =>
  db
    .prepare(
      `SELECT p.*, s.name AS station_name, s.area_id FROM plays p LEFT JOIN stations s ON s.id = p.station_id
       WHERE p.campaign_id = ? ORDER BY p.scheduled_at DESC, p.station_id`,
    )
    .all(campaignId) as (PlayRow & { station_name: string | null; area_id: string | null })[];
