// The stations table: registration, the area each hangs from (and its history), zones, credentials,
// presence and health, desired-state versions.
import type { StationInfo } from '../../schedules/model.ts';
import { placeStation } from '../areas/history.ts';
import { type AreaTree, chainOf, loadTree } from '../areas/tree.ts';
import type { Db } from '../db.ts';
import { notFound } from '../http/errors.ts';
import type { ChainSummary } from '../signing/chain.ts';

export interface StationRow {
  id: string;
  name: string;
  area_id: string;
  /** JSON array of zone names (the agent's relay lines that targets may name). */
  zones: string;
  timezone: string;
  desired_version: number;
  online: number;
  presence_at: string | null;
  health_json: string | null;
  /** The as-run hash chain's breaks found (signing/chain.ts), or null while it holds. */
  asrun_chain_json?: string | null;
}

export const stationView = (r: StationRow, tree: Pick<AreaTree, 'chain'>) => ({
  id: r.id,
  name: r.name,
  areaId: r.area_id,
  /** Area ids from the root down to the station's area. */
  areaPath: tree.chain(r.area_id),
  zones: JSON.parse(r.zones) as string[],
  timezone: r.timezone,
  desiredVersion: r.desired_version,
  online: r.online === 1,
  presenceAt: r.presence_at,
  health: r.health_json ? JSON.parse(r.health_json) : null,
  /** Set once its as-run hash chain broke: how many breaks and the last (GET /api/stations/:id/as-run-chain). */
  asRunChain: r.asrun_chain_json ? (JSON.parse(r.asrun_chain_json) as ChainSummary) : null,
});
export type StationView = ReturnType<typeof stationView>;

export const listStationRows = (db: Db) =>
  db.prepare('SELECT * FROM stations ORDER BY id').all() as StationRow[];

export function getStationRow(db: Db, id: string): StationRow {
  const r = db.prepare('SELECT * FROM stations WHERE id = ?').get(id) as StationRow | undefined;
  if (!r) throw notFound('station', id);
  return r;
}

export const stationExists = (db: Db, id: string) =>
  !!db.prepare('SELECT 1 FROM stations WHERE id = ?').get(id);

type InfoRow = { id: string; name: string; area_id: string; timezone: string };
const info = (r: InfoRow, chain: (id: string) => string[]): StationInfo => ({
  id: r.id,
  name: r.name,
  areaPath: chain(r.area_id),
  timezone: r.timezone,
});

export function stationInfo(db: Db, id: string): StationInfo {
  const r = db.prepare('SELECT id, name, area_id, timezone FROM stations WHERE id = ?').get(id) as
    | InfoRow
    | undefined;
  if (!r) throw notFound('station', id);
  return info(r, (a) => chainOf(db, a));
}

/** Every station as the schedule core sees it, by id; the tree is read once. */
export function allStationInfos(db: Db, tree: AreaTree = loadTree(db)): StationInfo[] {
  const rows = db.prepare('SELECT id, name, area_id, timezone FROM stations ORDER BY id').all() as InfoRow[];
  return rows.map((r) => info(r, (a) => tree.chain(a)));
}

/** Prepared once per database: the broker reads a station's place at each of its SUBSCRIBEs. */
const placeStatements = new WeakMap<Db, ReturnType<Db['prepare']>>();

/** A station's chain of areas (for the bulletin topics it may read), or undefined for an unknown station. */
export function stationPlace(db: Db, id: string): { id: string; areaPath: string[] } | undefined {
  const place = placeStatements.get(db) ?? db.prepare('SELECT id, area_id FROM stations WHERE id = ?');
  placeStatements.set(db, place);
  const r = place.get(id) as { id: string; area_id: string } | undefined;
  return r ? { id: r.id, areaPath: chainOf(db, r.area_id) } : undefined;
}

export type StationFields = { name: string; areaId: string; zones: string[]; timezone: string };

/** A new station; `secretHash` until its secret is issued (or enrolled). */
export function insertStation(db: Db, id: string, s: StationFields, secretHash: string, now: Date): void {
  db.prepare(
    `INSERT INTO stations (id, name, area_id, zones, timezone, secret_hash, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, s.name, s.areaId, JSON.stringify(s.zones), s.timezone, secretHash, now.toISOString());
  placeStation(db, id, s.areaId, now.toISOString());
}

/** Changes a station; a new area starts a new place in its history. */
export function updateStation(db: Db, id: string, s: StationFields, now: Date): void {
  db.prepare('UPDATE stations SET name = ?, area_id = ?, zones = ?, timezone = ? WHERE id = ?').run(
    s.name,
    s.areaId,
    JSON.stringify(s.zones),
    s.timezone,
    id,
  );
  placeStation(db, id, s.areaId, now.toISOString());
}

/** Moves stations to another area (a reorganisation); prepared once for many. */
export const stationMover = (db: Db, at: string) => {
  const move = db.prepare('UPDATE stations SET area_id = ? WHERE id = ?');
  return (id: string, areaId: string) => {
    move.run(areaId, id);
    placeStation(db, id, areaId, at);
  };
};

/** Removes a station; its place in history ends (its as-run log is kept). */
export function deleteStation(db: Db, id: string, now: Date): void {
  db.transaction(() => {
    db.prepare('DELETE FROM stations WHERE id = ?').run(id);
    placeStation(db, id, null, now.toISOString());
  })();
}

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

/** The stations in these areas (not under them). */
export const stationIdsInAreas = (db: Db, areaIds: readonly string[]): string[] =>
  (
    db
      .prepare('SELECT id FROM stations WHERE area_id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(areaIds)) as { id: string }[]
  ).map((r) => r.id);

/** Stations (all, or those named) with the version and content hash of the desired state last sent. */
export function desiredVersions(db: Db, tree: AreaTree, ids?: readonly string[]) {
  const cols = 'id, name, area_id, timezone, desired_version, desired_hash';
  const rows = (
    ids
      ? db
          .prepare(`SELECT ${cols} FROM stations WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`)
          .all(JSON.stringify(ids))
      : db.prepare(`SELECT ${cols} FROM stations ORDER BY id`).all()
  ) as (InfoRow & { desired_version: number; desired_hash: string | null })[];
  return rows.map((r) => ({
    ...info(r, (a) => tree.chain(a)),
    desired_version: r.desired_version,
    desired_hash: r.desired_hash,
  }));
}

/** Records a new desired-state version; prepared once for a loop over many stations. */
export const desiredVersionWriter = (db: Db) => {
  const bump = db.prepare('UPDATE stations SET desired_version = ?, desired_hash = ? WHERE id = ?');
  return (id: string, version: number, hash: string) => bump.run(version, hash, id);
};

/** The stations table as an external broker's password and ACL files need it. */
export function brokerRows(db: Db) {
  const tree = loadTree(db);
  const rows = db
    .prepare('SELECT id, broker_hash, secret_revoked, area_id FROM stations ORDER BY id')
    .all() as {
    id: string;
    broker_hash: string | null;
    secret_revoked: number;
    area_id: string;
  }[];
  return rows.map((r) => ({ ...r, areaPath: tree.chain(r.area_id) }));
}

/** Creates or updates stations in one transaction; answers which ids were created and which updated. */
export function upsertStations(
  db: Db,
  stations: (StationFields & { id: string })[],
  newSecretHash: () => string,
  now: Date,
): { created: string[]; updated: string[] } {
  const created: string[] = [];
  const updated: string[] = [];
  db.transaction(() => {
    for (const s of stations) {
      if (stationExists(db, s.id)) {
        // a CSV line has no zones: those declared stay
        const zones = JSON.parse(getStationRow(db, s.id).zones) as string[];
        updateStation(db, s.id, { ...s, zones }, now);
        updated.push(s.id);
      } else {
        insertStation(db, s.id, s, newSecretHash(), now);
        created.push(s.id);
      }
    }
  })();
  return { created, updated };
}
