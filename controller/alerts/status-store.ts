// The alert_stations reads and moves of the status-report ingest, prepared once per database.
import type { StationInfo } from '../../schedules/model.ts';
import { chainOf } from '../areas/tree.ts';
import type { Db } from '../db.ts';
import type { AlertRow, AlertStationRow } from './store.ts';

/** The statements of status reports, prepared once per database: an emergency brings thousands at once. */
const prepared = new WeakMap<Db, ReturnType<typeof prepareStatusStatements>>();
const prepareStatusStatements = (db: Db) => ({
  station: db.prepare('SELECT id, name, area_id, timezone FROM stations WHERE id = ?'),
  alertOf: db.prepare('SELECT * FROM alerts WHERE id = ?'),
  rowOf: db.prepare('SELECT * FROM alert_stations WHERE alert_id = ? AND station_id = ?'),
  insert: db.prepare('INSERT INTO alert_stations (alert_id, station_id, area_id) VALUES (?, ?, ?)'),
  move: db.prepare(
    `UPDATE alert_stations SET state = @state, at = @at, reason = @reason, detail = @detail,
       received_at = COALESCE(received_at, @at),
       started_at = CASE WHEN @state = 'started' THEN COALESCE(started_at, @at) ELSE started_at END,
       sounding_at = CASE WHEN @state = 'sounding' THEN COALESCE(sounding_at, @at) ELSE sounding_at END
     WHERE alert_id = @alertId AND station_id = @stationId`,
  ),
});

/** Reads and moves of per-station states, for a batch of status reports. */
export function statusStatements(db: Db) {
  const s = prepared.get(db) ?? prepareStatusStatements(db);
  prepared.set(db, s);
  return {
    station: (id: string): StationInfo | undefined => {
      const r = s.station.get(id) as
        | { id: string; name: string; area_id: string; timezone: string }
        | undefined;
      return r && { id: r.id, name: r.name, areaPath: chainOf(db, r.area_id), timezone: r.timezone };
    },
    alert: (id: string) => s.alertOf.get(id) as AlertRow | undefined,
    row: (alertId: string, stationId: string) =>
      s.rowOf.get(alertId, stationId) as AlertStationRow | undefined,
    addStation: (alertId: string, st: StationInfo) =>
      s.insert.run(alertId, st.id, st.areaPath.at(-1) ?? null),
    move: (m: {
      alertId: string;
      stationId: string;
      state: string;
      at: string;
      reason: string | null | undefined;
      detail: string | null | undefined;
    }) => s.move.run(m),
  };
}
