// Bulletin status reports from stations: each station speaks only for itself, and a state only moves
// forward (received -> held -> started -> a final state; the first final state reported stands).
import type { Logger } from '../../common/log.ts';
import { AlertStatusBatch } from '../../schedules/alerts.ts';
import { targetIncludes } from '../../schedules/targets.ts';
import type { Db } from '../db.ts';
import { statusStatements } from './status-store.ts';
import { type AlertStationRow, rankOf, targetsOf } from './store.ts';

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
  const st = statusStatements(db);
  // A row of the alert for this station says it is known: its place (a chain of areas) is read only for a
  // bulletin it has no row of yet, not for each of the thousands of reports an emergency brings.
  let place: ReturnType<typeof st.station> | null = null;
  const known = () => {
    place ??= st.station(stationId);
    if (!place) log.warn(`mqtt: dropped alert-status from unknown station '${stationId}'`);
    return place;
  };
  let moved = 0;
  db.transaction(() => {
    for (const s of b.data.statuses) {
      let row = st.row(s.alertId, stationId);
      if (!row) {
        const station = known();
        if (!station) return;
        const alert = st.alert(s.alertId);
        // A station added to a targeted area after the alert went out gets it from the retained topic.
        if (!alert || !targetsOf(alert).some((t) => targetIncludes(t, station))) {
          log.warn(`mqtt: dropped alert-status of ${stationId} for alert '${s.alertId}' not sent to it`);
          continue;
        }
        st.addStation(s.alertId, station);
        row = st.row(s.alertId, stationId) as AlertStationRow;
      }
      const from = rankOf(row.state);
      const to = rankOf(s.state);
      // Same rank: a repeat, or a second final state; the first one reported stands.
      if (to <= from) {
        if (to < from || row.state !== s.state)
          log.warn(`mqtt: ${stationId} alert ${s.alertId}: ignored ${s.state} after ${row.state}`);
        continue;
      }
      st.move(s);
      moved++;
    }
  })();
  return moved;
}
