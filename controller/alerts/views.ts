// What a person sees of bulletins: those they sent or that reach a station of their area, with the
// counts and target stations of their area only.
import type { Db } from '../db.ts';
import { forbidden } from '../http/errors.ts';
import { type Principal, userOf } from '../users/roles.ts';
import {
  type AlertRow,
  type AlertStatus,
  alertView,
  countStates,
  countsIn,
  getAlertRow,
  listAlertRows,
  STATION_STATES,
  type StateCounts,
  stationsIn,
} from './store.ts';

/** An alert is seen by whoever sent it and by people with a target station in their area. */
const visible = (r: AlertRow, principal: Principal | null, counts: StateCounts) => {
  const who = userOf(principal);
  const reached = Object.values(counts).some((n) => n > 0);
  return !who || who.scope.kind === 'all' || r.issued_by === who.username || reached;
};

/** Newest first, at most `limit` of those the principal sees, with their counts. */
export function listAlerts(
  db: Db,
  principal: Principal | null,
  query: { status?: AlertStatus; limit: number },
  now: Date,
) {
  const out = [];
  for (const r of listAlertRows(db, query.status, now)) {
    if (out.length >= query.limit) break;
    const counts = countsIn(db, r.id, userOf(principal)?.scope ?? null);
    if (visible(r, principal, counts)) out.push(alertView(r, counts, now));
  }
  return out;
}

/** One bulletin with every target station of the principal's area; 403 if it reaches none. */
export function alertDetail(db: Db, id: string, principal: Principal | null, now: Date) {
  const r = getAlertRow(db, id);
  const rows = stationsIn(db, r.id, userOf(principal)?.scope ?? null);
  const counts = countStates(rows);
  if (!visible(r, principal, counts))
    throw forbidden([
      `alert '${r.id}' reaches no station in your area`,
      'Bản tin này không đến đài nào trong phạm vi quản lý của bạn.',
    ]);
  return {
    ...alertView(r, counts, now),
    states: STATION_STATES,
    stations: rows.map(stationStateView),
  };
}

/** Where a bulletin (or a live session) stands at one station, as the API shows it. */
export const stationStateView = (s: ReturnType<typeof stationsIn>[number]) => ({
  stationId: s.station_id,
  name: s.name ?? s.station_id,
  areaId: s.place_id,
  areaName: s.area_name,
  state: s.state as string,
  at: s.at,
  startedAt: s.started_at,
  soundingAt: s.sounding_at,
  reason: s.reason,
  detail: s.detail,
  online: s.online === 1,
});

/** A bulletin as its sender sees it: counts over every target station. */
export const alertAsSent = (db: Db, row: AlertRow, now: Date) =>
  alertView(row, countsIn(db, row.id, null), now);
