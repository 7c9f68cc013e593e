// Bulletins (alerts) at the controller: rows, the published payload, per-station states and views.
import { type Alert, AlertState, alertStateRank } from '../../schedules/alerts.ts';
import type { ClipRef, StationInfo, Target } from '../../schedules/model.ts';
import type { AlertPlan } from '../../schedules/precedence.ts';
import { targetIncludes } from '../../schedules/targets.ts';
import type { Db } from '../db.ts';
import { notFound } from '../errors.ts';

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
}

export interface AlertStationRow {
  alert_id: string;
  station_id: string;
  district: string;
  ward: string;
  /** 'pending' until the station reports, then an AlertState. */
  state: 'pending' | AlertState;
  at: string | null;
  reason: string | null;
  detail: string | null;
  received_at: string | null;
  started_at: string | null;
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

/** The message published (retained) on each target's alert topic. */
export function alertPayload(r: AlertRow): Alert {
  return {
    id: r.id,
    level: r.level,
    title: r.title,
    reason: r.reason,
    clip: JSON.parse(r.clip_json) as ClipRef,
    targets: targetsOf(r),
    issuedAt: r.issued_at,
    issuedBy: r.issued_by,
    expiresAt: r.expires_at,
    ignoreQuietWindows: r.ignore_quiet_windows === 1,
    cancelledAt: r.cancelled_at,
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
    targets: p.targets,
    issuedAt: r.issued_at,
    issuedBy: r.issued_by,
    expiresAt: r.expires_at,
    ignoreQuietWindows: p.ignoreQuietWindows,
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
