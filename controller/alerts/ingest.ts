// Bulletin status reports from stations: each station speaks only for itself, and a state only moves
// forward (received -> held -> started -> a final state; the first final state reported stands).
import { AlertStatusBatch } from '../../schedules/alerts.ts';
import type { StationInfo } from '../../schedules/model.ts';
import { targetIncludes } from '../../schedules/targets.ts';
import type { Db } from '../db.ts';
import type { Logger } from '../deps.ts';
import { type AlertRow, type AlertStationRow, rankOf, targetsOf } from './store.ts';

/** The statements, prepared once per database: a district-wide emergency brings thousands of reports at once. */
const prepared = new WeakMap<Db, ReturnType<typeof prepare>>();
const prepare = (db: Db) => ({
  station: db.prepare('SELECT id, name, district, ward, timezone FROM stations WHERE id = ?'),
  alertOf: db.prepare('SELECT * FROM alerts WHERE id = ?'),
  rowOf: db.prepare('SELECT * FROM alert_stations WHERE alert_id = ? AND station_id = ?'),
  insert: db.prepare('INSERT INTO alert_stations (alert_id, station_id, district, ward) VALUES (?, ?, ?, ?)'),
  move: db.prepare(
    `UPDATE alert_stations SET state = @state, at = @at, reason = @reason, detail = @detail,
       received_at = COALESCE(received_at, @at),
       started_at = CASE WHEN @state = 'started' THEN COALESCE(started_at, @at) ELSE started_at END
     WHERE alert_id = @alertId AND station_id = @stationId`,
  ),
});
const statements = (db: Db) => {
  const s = prepared.get(db) ?? prepare(db);
  prepared.set(db, s);
  return s;
};

/** Stores an `alert-status` batch from `stationId`; answers how many statuses moved a state. */
export function ingestAlertStatus(db: Db, stationId: string, json: unknown, log: Logger): number {
  const b = AlertStatusBatch.safeParse(json);
  if (!b.success) {
    log.warn(`mqtt: dropped malformed alert-status from ${stationId}: ${b.error.issues[0]?.message}`);
    return 0;
  }
  if (b.data.statuses.some((s) => s.stationId !== stationId)) {
    log.warn(`mqtt: dropped alert-status batch from ${stationId} naming another station`);
    return 0;
  }
  const { station: stationOf, alertOf, rowOf, insert, move } = statements(db);
  const station = stationOf.get(stationId) as StationInfo | undefined;
  if (!station) {
    log.warn(`mqtt: dropped alert-status from unknown station '${stationId}'`);
    return 0;
  }
  let moved = 0;
  db.transaction(() => {
    for (const s of b.data.statuses) {
      let row = rowOf.get(s.alertId, stationId) as AlertStationRow | undefined;
      if (!row) {
        const alert = alertOf.get(s.alertId) as AlertRow | undefined;
        // A station added to a targeted area after the alert went out gets it from the retained topic.
        if (!alert || !targetsOf(alert).some((t) => targetIncludes(t, station))) {
          log.warn(`mqtt: dropped alert-status of ${stationId} for alert '${s.alertId}' not sent to it`);
          continue;
        }
        insert.run(s.alertId, stationId, station.district, station.ward);
        row = rowOf.get(s.alertId, stationId) as AlertStationRow;
      }
      const from = rankOf(row.state);
      const to = rankOf(s.state);
      // Same rank: a repeat, or a second final state; the first one reported stands.
      if (to <= from) {
        if (to < from || row.state !== s.state)
          log.warn(`mqtt: ${stationId} alert ${s.alertId}: ignored ${s.state} after ${row.state}`);
        continue;
      }
      move.run({ ...s, reason: s.reason, detail: s.detail });
      moved++;
    }
  })();
  return moved;
}
