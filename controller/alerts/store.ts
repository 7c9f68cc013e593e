// The alerts and alert_stations tables: bulletins, the published payload, per-station states and views.
import { type Alert, AlertState, alertStateRank, type LiveSound } from '../../schedules/alerts.ts';
import type { ClipRef, StationInfo, Target } from '../../schedules/model.ts';
import type { AlertPlan } from '../../schedules/precedence/precedence.ts';
import { type PlayShape, shapeFields } from '../../schedules/repeat.ts';
import { targetIncludes } from '../../schedules/targets.ts';
import type { UserScope } from '../areas/scope.ts';
import { loadTree } from '../areas/tree.ts';
import type { Db } from '../db.ts';
import { notFound } from '../http/errors.ts';

export interface AlertRow {
  id: string;
  level: Alert['level'];
  title: string;
  reason: string;
  clip_id: string;
  clip_json: string;
  targets_json: string;
  issued_at: string;
  issued_by: string;
  expires_at: string;
  ignore_quiet_windows: number;
  cancelled_at: string | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
  /** When the retained messages were cleared after expiry. */
  cleared_at: string | null;
  /** `{repeat, chime}` (schedules/repeat.ts); null when it plays once without chime. */
  shape_json?: string | null;
}

export interface AlertStationRow {
  alert_id: string;
  station_id: string;
  /** The area the station hung from when the bulletin was sent. */
  area_id: string | null;
  /** 'pending' until the station reports, then an AlertState. */
  state: 'pending' | AlertState;
  at: string | null;
  reason: string | null;
  detail: string | null;
  received_at: string | null;
  /** When its relay went on for the bulletin ('started'), and when its first sample left ('sounding'). */
  started_at: string | null;
  sounding_at: string | null;
}

/** Every state a target station can be in, in the order the console lists them. */
export const STATION_STATES = ['pending', ...AlertState.options] as const;

/** 0 for 'pending' (never heard from); a reported state's rank otherwise. */
export const rankOf = (s: AlertStationRow['state']) => (s === 'pending' ? 0 : alertStateRank(s));

export function getAlertRow(db: Db, id: string): AlertRow {
  const r = db.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as AlertRow | undefined;
  if (!r) throw notFound('alert', id);
  return r;
}

export const targetsOf = (r: AlertRow) => JSON.parse(r.targets_json) as Target[];

/** What a bulletin sounds: clip_json holds a ClipRef, or `{live}` for live speech (controller/live/). */
const soundOf = (r: AlertRow): { clip: ClipRef } | { live: LiveSound } => {
  const sound = JSON.parse(r.clip_json) as ClipRef | { live: LiveSound };
  return 'live' in sound ? { live: sound.live } : { clip: sound };
};

/** The message published (retained) on each target's alert topic. */
export function alertPayload(r: AlertRow): Alert {
  return {
    id: r.id,
    level: r.level,
    title: r.title,
    reason: r.reason,
    ...soundOf(r),
    targets: targetsOf(r),
    issuedAt: r.issued_at,
    issuedBy: r.issued_by,
    expiresAt: r.expires_at,
    ignoreQuietWindows: r.ignore_quiet_windows === 1,
    cancelledAt: r.cancelled_at,
    ...(r.shape_json ? (JSON.parse(r.shape_json) as PlayShape) : {}),
  };
}

export type AlertStatus = 'active' | 'cancelled' | 'expired';
export const statusOf = (r: AlertRow, now: Date): AlertStatus =>
  r.cancelled_at ? 'cancelled' : r.expires_at <= now.toISOString() ? 'expired' : 'active';

export type StateCounts = Record<(typeof STATION_STATES)[number], number>;

export function countStates(rows: { state: AlertStationRow['state']; n?: number }[]): StateCounts {
  const counts = Object.fromEntries(STATION_STATES.map((s) => [s, 0])) as StateCounts;
  for (const r of rows) counts[r.state] += r.n ?? 1;
  return counts;
}

export function alertView(r: AlertRow, counts: StateCounts, now: Date) {
  const p = alertPayload(r);
  return {
    id: r.id,
    level: r.level,
    title: r.title,
    reason: r.reason,
    clipId: r.clip_id,
    clip: p.clip,
    live: p.live,
    targets: p.targets,
    issuedAt: r.issued_at,
    issuedBy: r.issued_by,
    expiresAt: r.expires_at,
    ignoreQuietWindows: p.ignoreQuietWindows,
    repeat: p.repeat ?? null,
    chime: p.chime ?? null,
    cancelledAt: r.cancelled_at,
    cancelledBy: r.cancelled_by,
    cancelReason: r.cancel_reason,
    status: statusOf(r, now),
    stationCount: Object.values(counts).reduce((a, b) => a + b, 0),
    counts,
  };
}

/** A station's bulletins as its timetable preview needs them: those that target it in [from - 1 day, to). */
export function alertPlansFor(db: Db, station: StationInfo, from: Date, to: Date): AlertPlan[] {
  const since = new Date(from.getTime() - 86_400_000).toISOString();
  const rows = db
    .prepare('SELECT * FROM alerts WHERE issued_at < ? AND expires_at > ? ORDER BY issued_at, id')
    .all(to.toISOString(), since) as AlertRow[];
  const state = db.prepare(
    'SELECT received_at, started_at FROM alert_stations WHERE alert_id = ? AND station_id = ?',
  );
  return rows.flatMap((r) => {
    const alert = alertPayload(r);
    if (!alert.targets.some((t) => targetIncludes(t, station))) return [];
    const s = state.get(r.id, station.id) as Pick<AlertStationRow, 'received_at' | 'started_at'> | undefined;
    return [{ alert, receivedAt: s?.received_at ?? r.issued_at, startedAt: s?.started_at ?? null }];
  });
}

/** Whether an alert not cancelled and not expired at `now` names this clip and reaches this station. */
export function activeAlertWantsClip(db: Db, clipId: string, station: StationInfo, now: Date): boolean {
  const rows = db
    .prepare('SELECT * FROM alerts WHERE clip_id = ? AND cancelled_at IS NULL AND expires_at > ?')
    .all(clipId, now.toISOString()) as AlertRow[];
  return rows.some((r) => targetsOf(r).some((t) => targetIncludes(t, station)));
}

/** The id of a bulletin still running (neither cancelled nor expired) that plays this clip, if any. */
export const runningAlertWithClip = (db: Db, clipId: string, now: Date) =>
  (
    db
      .prepare('SELECT id FROM alerts WHERE clip_id = ? AND cancelled_at IS NULL AND expires_at > ? LIMIT 1')
      .get(clipId, now.toISOString()) as { id: string } | undefined
  )?.id;

/** Bulletins newest first, of one status at `now` or all. */
export function listAlertRows(db: Db, status: AlertStatus | undefined, now: Date): AlertRow[] {
  const where =
    status === 'active'
      ? 'WHERE cancelled_at IS NULL AND expires_at > @at'
      : status === 'cancelled'
        ? 'WHERE cancelled_at IS NOT NULL'
        : status === 'expired'
          ? 'WHERE cancelled_at IS NULL AND expires_at <= @at'
          : '';
  return db
    .prepare(`SELECT * FROM alerts ${where} ORDER BY issued_at DESC, id DESC`)
    .all(status ? { at: now.toISOString() } : {}) as AlertRow[];
}

/** SQL limiting alert_stations rows to a person's areas: the station's area now (or when sent, if removed). */
function scopeSql(db: Db, scope: UserScope | null): { sql: string; args: string[] } {
  if (!scope || scope.kind === 'all') return { sql: '1 = 1', args: [] };
  if (scope.ids.length === 0) return { sql: '0 = 1', args: [] };
  const tree = loadTree(db);
  const ids = [...new Set(scope.ids.flatMap((id) => tree.subtree(id)))];
  return {
    sql: `COALESCE((SELECT area_id FROM stations WHERE id = a.station_id), a.area_id) IN (SELECT value FROM json_each(?))`,
    args: [JSON.stringify(ids)],
  };
}

/** The target stations of an alert in a person's area (all with null), with name, area name and presence. */
export function stationsIn(db: Db, alertId: string, scope: UserScope | null) {
  const s = scopeSql(db, scope);
  return db
    .prepare(
      `SELECT a.*, st.name, st.online, ar.id AS place_id, ar.name AS area_name FROM alert_stations a
       LEFT JOIN stations st ON st.id = a.station_id
       LEFT JOIN areas ar ON ar.id = COALESCE(st.area_id, a.area_id)
       WHERE a.alert_id = ? AND ${s.sql} ORDER BY ar.name, a.station_id`,
    )
    .all(alertId, ...s.args) as (AlertStationRow & {
    name: string | null;
    online: number | null;
    place_id: string | null;
    area_name: string | null;
  })[];
}

/** Target stations per state, in a person's area (all with null). */
export function countsIn(db: Db, alertId: string, scope: UserScope | null): StateCounts {
  const s = scopeSql(db, scope);
  const rows = db
    .prepare(
      `SELECT a.state, COUNT(*) AS n FROM alert_stations a WHERE a.alert_id = ? AND ${s.sql} GROUP BY a.state`,
    )
    .all(alertId, ...s.args) as { state: AlertStationRow['state']; n: number }[];
  return countStates(rows);
}

/** Stores the bulletin and one `pending` row per target station, in one transaction. */
export function insertAlert(
  db: Db,
  a: {
    id: string;
    level: Alert['level'];
    title: string;
    reason: string;
    /** One of the two: a clip, or live speech (stored as `{live}` in clip_json, clip_id ''). */
    clip?: ClipRef;
    live?: LiveSound;
    targets: Target[];
    issuedBy: string;
    expiresAt: string;
    ignoreQuietWindows: boolean;
  } & PlayShape,
  stations: StationInfo[],
  now: Date,
): void {
  const insertStation = db.prepare(
    'INSERT INTO alert_stations (alert_id, station_id, area_id) VALUES (?, ?, ?)',
  );
  db.transaction(() => {
    db.prepare(
      `INSERT INTO alerts (id, level, title, reason, clip_id, clip_json, targets_json, issued_at, issued_by,
         expires_at, ignore_quiet_windows, shape_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      a.id,
      a.level,
      a.title,
      a.reason,
      a.clip?.id ?? '',
      JSON.stringify(a.clip ?? { live: a.live }),
      JSON.stringify(a.targets),
      now.toISOString(),
      a.issuedBy,
      a.expiresAt,
      a.ignoreQuietWindows ? 1 : 0,
      Object.keys(shapeFields(a)).length ? JSON.stringify(shapeFields(a)) : null,
    );
    for (const s of stations) insertStation.run(a.id, s.id, s.areaPath.at(-1) ?? null);
  })();
}

export function markCancelled(db: Db, id: string, by: string, reason: string | null, now: Date): void {
  db.prepare('UPDATE alerts SET cancelled_at = ?, cancelled_by = ?, cancel_reason = ? WHERE id = ?').run(
    now.toISOString(),
    by,
    reason,
    id,
  );
}

/** Alerts whose retained messages are still on the broker, expired at `now` (`expired`) or not. */
export function unclearedAlerts(db: Db, now: Date, expired: boolean): AlertRow[] {
  const sql = expired
    ? 'SELECT * FROM alerts WHERE cleared_at IS NULL AND expires_at <= ? ORDER BY expires_at'
    : 'SELECT * FROM alerts WHERE cleared_at IS NULL AND expires_at > ? ORDER BY issued_at';
  return db.prepare(sql).all(now.toISOString()) as AlertRow[];
}

/** Marks alerts' retained messages cleared; prepared once for a loop. */
export const clearedMarker = (db: Db) => {
  const mark = db.prepare('UPDATE alerts SET cleared_at = ? WHERE id = ?');
  return (id: string, at: string) => mark.run(at, id);
};

/** A new end for a bulletin (a live session that ended: no station starts it afterwards). */
export const setAlertExpiry = (db: Db, id: string, at: Date) =>
  db.prepare('UPDATE alerts SET expires_at = ? WHERE id = ?').run(at.toISOString(), id);

/** New targets for a running bulletin (a reorganisation retired the area it named). */
export const setAlertTargets = (db: Db, id: string, targets: Target[]) =>
  db.prepare('UPDATE alerts SET targets_json = ? WHERE id = ?').run(JSON.stringify(targets), id);
