// The stations table: registration, credentials, presence and health, desired-state versions.
import type { StationInfo } from '../../schedules/model.ts';
import type { Db } from '../db.ts';
import { notFound } from '../http/errors.ts';

export interface StationRow {
  id: string;
  name: string;
  district: string;
  ward: string;
  timezone: string;
  desired_version: number;
  online: number;
  presence_at: string | null;
  health_json: string | null;
}

export const stationView = (r: StationRow) => ({
  id: r.id,
  name: r.name,
  district: r.district,
  ward: r.ward,
  timezone: r.timezone,
  desiredVersion: r.desired_version,
  online: r.online === 1,
  presenceAt: r.presence_at,
  health: r.health_json ? JSON.parse(r.health_json) : null,
});

export const listStationRows = (db: Db) =>
  db.prepare('SELECT * FROM stations ORDER BY id').all() as StationRow[];

export function getStationRow(db: Db, id: string): StationRow {
  const r = db.prepare('SELECT * FROM stations WHERE id = ?').get(id) as StationRow | undefined;
  if (!r) throw notFound('station', id);
  return r;
}

export const stationExists = (db: Db, id: string) =>
  !!db.prepare('SELECT 1 FROM stations WHERE id = ?').get(id);

export function stationInfo(db: Db, id: string): StationInfo {
  const r = db.prepare('SELECT id, name, district, ward, timezone FROM stations WHERE id = ?').get(id) as
    | StationInfo
    | undefined;
  if (!r) throw notFound('station', id);
  return r;
}

/** Every station as the schedule core sees it, by id. */
export const allStationInfos = (db: Db) =>
  db.prepare('SELECT id, name, district, ward, timezone FROM stations ORDER BY id').all() as StationInfo[];

/** A station's place (for the bulletin topics it may read), or undefined for an unknown station. */
export const stationPlace = (db: Db, id: string) =>
  db.prepare('SELECT id, district, ward FROM stations WHERE id = ?').get(id) as
    | { id: string; district: string; ward: string }
    | undefined;

type Fields = { name: string; district: string; ward: string; timezone: string };

/** A new station; `secretHash` until its secret is issued (or enrolled). */
export function insertStation(db: Db, id: string, s: Fields, secretHash: string, now: Date): void {
  db.prepare(
    `INSERT INTO stations (id, name, district, ward, timezone, secret_hash, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, s.name, s.district, s.ward, s.timezone, secretHash, now.toISOString());
}

export function updateStation(db: Db, id: string, s: Fields): void {
  db.prepare('UPDATE stations SET name = ?, district = ?, ward = ?, timezone = ? WHERE id = ?').run(
    s.name,
    s.district,
    s.ward,
    s.timezone,
    id,
  );
}

export const deleteStation = (db: Db, id: string) => db.prepare('DELETE FROM stations WHERE id = ?').run(id);

/** Sets a secret (as sha256 and in the broker's format), ending any revocation and enrolment code. */
export function setSecret(db: Db, id: string, secretHash: string, brokerHash: string): void {
  db.prepare(
    `UPDATE stations SET secret_hash = ?, broker_hash = ?, secret_revoked = 0, enrolment_hash = NULL,
       enrolment_expires_at = NULL WHERE id = ?`,
  ).run(secretHash, brokerHash, id);
}

export function setEnrolmentCode(db: Db, id: string, codeHash: string, expiresAt: string): void {
  db.prepare('UPDATE stations SET enrolment_hash = ?, enrolment_expires_at = ? WHERE id = ?').run(
    codeHash,
    expiresAt,
    id,
  );
}

export const enrolmentCodeValid = (db: Db, id: string, codeHash: string, now: Date) =>
  !!db
    .prepare('SELECT 1 FROM stations WHERE id = ? AND enrolment_hash = ? AND enrolment_expires_at > ?')
    .get(id, codeHash, now.toISOString());

export function revokeSecret(db: Db, id: string): void {
  db.prepare('UPDATE stations SET secret_revoked = 1, enrolment_hash = NULL WHERE id = ?').run(id);
}

/** The station whose live (not revoked) secret has this sha256. */
export const stationIdBySecretHash = (db: Db, secretHash: string) =>
  (
    db.prepare('SELECT id FROM stations WHERE secret_hash = ? AND secret_revoked = 0').get(secretHash) as
      | { id: string }
      | undefined
  )?.id ?? null;

export const secretOf = (db: Db, id: string) =>
  db.prepare('SELECT secret_hash, secret_revoked FROM stations WHERE id = ?').get(id) as
    | { secret_hash: string; secret_revoked: number }
    | undefined;

export function setPresence(db: Db, id: string, online: boolean, at: string): void {
  db.prepare('UPDATE stations SET online = ?, presence_at = ? WHERE id = ?').run(online ? 1 : 0, at, id);
}

export function setHealth(db: Db, id: string, health: unknown): void {
  db.prepare('UPDATE stations SET health_json = ? WHERE id = ?').run(JSON.stringify(health), id);
}

/** Every station with the version and content hash of the desired state it was last sent. */
export const desiredVersions = (db: Db) =>
  db
    .prepare(
      'SELECT id, name, district, ward, timezone, desired_version, desired_hash FROM stations ORDER BY id',
    )
    .all() as (StationInfo & { desired_version: number; desired_hash: string | null })[];

/** Records a new desired-state version; prepared once for a loop over many stations. */
export const desiredVersionWriter = (db: Db) => {
  const bump = db.prepare('UPDATE stations SET desired_version = ?, desired_hash = ? WHERE id = ?');
  return (id: string, version: number, hash: string) => bump.run(version, hash, id);
};

/** The stations table as an external broker's password and ACL files need it. */
export const brokerRows = (db: Db) =>
  db.prepare('SELECT id, broker_hash, secret_revoked, district, ward FROM stations ORDER BY id').all() as {
    id: string;
    broker_hash: string | null;
    secret_revoked: number;
    district: string;
    ward: string;
  }[];

/** Creates or updates stations in one transaction; answers which ids were created and which updated. */
export function upsertStations(
  db: Db,
  stations: (Fields & { id: string })[],
  newSecretHash: () => string,
  now: Date,
): { created: string[]; updated: string[] } {
  const created: string[] = [];
  const updated: string[] = [];
  db.transaction(() => {
    for (const s of stations) {
      if (stationExists(db, s.id)) {
        updateStation(db, s.id, s);
        updated.push(s.id);
      } else {
        insertStation(db, s.id, s, newSecretHash(), now);
        created.push(s.id);
      }
    }
  })();
  return { created, updated };
}
