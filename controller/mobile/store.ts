// The mobile_positions and mobile_deliveries tables: where each mobile loudspeaker was last, and which
// bulletins of an area reached it while it was inside.
import type { MobilePosition } from '../../schedules/protocol.ts';
import type { Db } from '../db.ts';

export interface PositionRow {
  station_id: string;
  lat: number;
  lon: number;
  accuracy_m: number | null;
  /** When the unit took the fix (its clock). */
  fix_at: string;
  /** When the controller heard it. */
  received_at: string;
  /** The deepest drawn area it was inside; null: outside every drawn area. */
  area_id: string | null;
}

export interface DeliveryRow {
  alert_id: string;
  station_id: string;
  /** The bulletin's target area the unit was inside. */
  area_id: string;
  delivered_at: string;
  withdrawn_at: string | null;
}

export const positionOf = (db: Db, stationId: string) =>
  db.prepare('SELECT * FROM mobile_positions WHERE station_id = ?').get(stationId) as PositionRow | undefined;

export const allPositions = (db: Db) =>
  db.prepare('SELECT * FROM mobile_positions ORDER BY station_id').all() as PositionRow[];

export function savePosition(db: Db, stationId: string, p: MobilePosition, areaId: string | null, now: Date) {
  db.prepare(
    `INSERT INTO mobile_positions (station_id, lat, lon, accuracy_m, fix_at, received_at, area_id)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(station_id) DO UPDATE SET lat = excluded.lat, lon = excluded.lon,
       accuracy_m = excluded.accuracy_m, fix_at = excluded.fix_at, received_at = excluded.received_at,
       area_id = excluded.area_id`,
  ).run(stationId, p.lat, p.lon, p.accuracyM, p.at, now.toISOString(), areaId);
}

export const setPositionArea = (db: Db, stationId: string, areaId: string | null) =>
  db.prepare('UPDATE mobile_positions SET area_id = ? WHERE station_id = ?').run(areaId, stationId);

export const deliveriesTo = (db: Db, stationId: string) =>
  db
    .prepare('SELECT * FROM mobile_deliveries WHERE station_id = ? ORDER BY delivered_at')
    .all(stationId) as DeliveryRow[];

export const deliveriesOf = (db: Db, alertId: string) =>
  db.prepare('SELECT * FROM mobile_deliveries WHERE alert_id = ?').all(alertId) as DeliveryRow[];

/** Records the delivery and a `pending` row for the unit's statuses (the ingest takes only known rows). */
export function recordDelivery(
  db: Db,
  d: { alertId: string; stationId: string; areaId: string; locatedIn: string },
  now: Date,
): void {
  db.transaction(() => {
    db.prepare(
      'INSERT INTO mobile_deliveries (alert_id, station_id, area_id, delivered_at) VALUES (?, ?, ?, ?)',
    ).run(d.alertId, d.stationId, d.areaId, now.toISOString());
    db.prepare('INSERT OR IGNORE INTO alert_stations (alert_id, station_id, area_id) VALUES (?, ?, ?)').run(
      d.alertId,
      d.stationId,
      d.locatedIn,
    );
  })();
}

export const markWithdrawn = (db: Db, alertId: string, stationId: string, now: Date) =>
  db
    .prepare('UPDATE mobile_deliveries SET withdrawn_at = ? WHERE alert_id = ? AND station_id = ?')
    .run(now.toISOString(), alertId, stationId);

/** The unit's state for a bulletin, as it last reported it ('pending' before it did). */
export const stationState = (db: Db, alertId: string, stationId: string) =>
  (
    db
      .prepare('SELECT state FROM alert_stations WHERE alert_id = ? AND station_id = ?')
      .get(alertId, stationId) as { state: string } | undefined
  )?.state ?? 'pending';
