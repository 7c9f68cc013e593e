// The database migration to the area tree: tables for areas, levels and their history, and an existing
// city/district/ward database rewritten onto a tree (a root for the city, a district level, a ward level)
// with the same behaviour: the same stations reached by every rule, the same people's areas.
import type Database from 'better-sqlite3';

/** Rows written by the migration are valid since this instant: before it, the areas had no other names. */
export const HISTORY_START = '1970-01-01T00:00:00.000Z';

/** Levels of a new deployment (the July 2025 reform leaves districts unused: a commune may hang from a province). */
export const DEFAULT_LEVELS = [
  ['province', 'Tỉnh/thành phố'],
  ['district', 'Quận/huyện'],
  ['commune', 'Xã/phường/thị trấn'],
  ['village', 'Thôn/ấp/khu phố'],
] as const;
/** Levels of a database that had a city, districts and wards. */
const LEGACY_LEVELS = [
  ['city', 'Thành phố'],
  ['district', 'Quận/huyện'],
  ['ward', 'Phường/xã/thị trấn'],
] as const;

const SCHEMA = `
  CREATE TABLE area_levels (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
  CREATE TABLE areas (
    id TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES areas(id),
    level TEXT NOT NULL,
    code TEXT,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    retired_at TEXT
  );
  CREATE INDEX areas_parent ON areas(parent_id);
  CREATE UNIQUE INDEX areas_code ON areas(code) WHERE code IS NOT NULL AND retired_at IS NULL;
  CREATE UNIQUE INDEX areas_one_root ON areas((parent_id IS NULL)) WHERE parent_id IS NULL AND retired_at IS NULL;
  CREATE TABLE area_history (
    area_id TEXT NOT NULL REFERENCES areas(id),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    name TEXT NOT NULL,
    parent_id TEXT,
    level TEXT NOT NULL,
    code TEXT,
    PRIMARY KEY (area_id, valid_from)
  );
  CREATE TABLE station_places (
    station_id TEXT NOT NULL,
    area_id TEXT NOT NULL REFERENCES areas(id),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    PRIMARY KEY (station_id, valid_from)
  );
  CREATE INDEX station_places_area ON station_places(area_id);
  CREATE TABLE area_reorganisations (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    operation TEXT NOT NULL,
    summary TEXT NOT NULL
  );
  ALTER TABLE stations ADD COLUMN area_id TEXT REFERENCES areas(id);
  ALTER TABLE stations ADD COLUMN zones TEXT NOT NULL DEFAULT '[]';
  CREATE INDEX stations_area ON stations(area_id);
  ALTER TABLE users ADD COLUMN areas TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE campaigns ADD COLUMN area_id TEXT;
  ALTER TABLE alert_stations ADD COLUMN area_id TEXT;
`;

const DROP_OLD = `
  ALTER TABLE stations DROP COLUMN district;
  ALTER TABLE stations DROP COLUMN ward;
  ALTER TABLE users DROP COLUMN districts;
  ALTER TABLE users DROP COLUMN ward;
  ALTER TABLE campaigns DROP COLUMN district;
  ALTER TABLE alert_stations DROP COLUMN district;
  ALTER TABLE alert_stations DROP COLUMN ward;
`;

type Json = Record<string, unknown>;
type OldTarget = { scope: string; id?: string };

/** The old ids and where they become areas: districts keep their id, wards too unless it is taken. */
class LegacyMap {
  readonly used = new Set<string>();
  root = '';
  readonly districts = new Set<string>();
  /** ward id -> district -> stations there */
  readonly wardSeen = new Map<string, Map<string | null, number>>();
  /** `${district}/${ward}` -> area id, and the main area of each ward id */
  readonly wardArea = new Map<string, string>();
  readonly mainWard = new Map<string, string>();
  readonly wardParent = new Map<string, string | null>();

  seeWard(ward: string, district: string | null, weight: number): void {
    const seen = this.wardSeen.get(ward) ?? new Map<string | null, number>();
    seen.set(district, (seen.get(district) ?? 0) + weight);
    this.wardSeen.set(ward, seen);
  }

  unique(base: string): string {
    let id = base.slice(0, 64);
    for (let n = 2; this.used.has(id); n++) id = `${base.slice(0, 60)}-${n}`;
    this.used.add(id);
    return id;
  }

  /** Wards seen in several districts keep their id in the one with most stations; the others get their own. */
  settle(): void {
    for (const d of this.districts) this.used.add(d);
    this.root = this.unique('city');
    for (const [ward, seen] of [...this.wardSeen].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const known = [...seen].filter(([d]) => d !== null) as [string, number][];
      known.sort(([a, n], [b, m]) => m - n || (a < b ? -1 : 1));
      const homes: (string | null)[] = known.length ? known.map(([d]) => d) : [null];
      homes.forEach((district, i) => {
        const id = this.unique(i === 0 && !this.districts.has(ward) ? ward : `${ward}-ward`);
        if (i === 0) this.mainWard.set(ward, id);
        this.wardArea.set(`${district}/${ward}`, id);
        this.wardParent.set(id, district);
      });
      if (seen.has(null)) this.wardArea.set(`null/${ward}`, this.mainWard.get(ward) as string);
    }
  }

  place(district: string | null, ward: string): string {
    return this.wardArea.get(`${district}/${ward}`) ?? (this.mainWard.get(ward) as string);
  }

  /** Every area id an old ward id stood for (a ward id seen in two districts is two areas now). */
  wardAreas(ward: string): string[] {
    return [...new Set([...this.wardArea].filter(([k]) => k.endsWith(`/${ward}`)).map(([, v]) => v))];
  }

  target(t: OldTarget): OldTarget {
    if (t.scope === 'city') return { scope: 'area', id: this.root };
    if (t.scope === 'district') return { scope: 'area', id: t.id as string };
    if (t.scope === 'ward') return { scope: 'area', id: this.mainWard.get(t.id as string) as string };
    return t;
  }
}

/** Brings the schema to the area tree and rewrites a city/district/ward database onto it. */
export function migrateToAreaTree(db: Database.Database): void {
  db.exec(SCHEMA);
  const stations = db.prepare('SELECT id, district, ward, created_at FROM stations').all() as {
    id: string;
    district: string;
    ward: string;
    created_at: string;
  }[];
  const users = db.prepare('SELECT id, role, districts, ward FROM users').all() as {
    id: number;
    role: string;
    districts: string;
    ward: string | null;
  }[];
  const campaigns = db.prepare('SELECT id, district FROM campaigns').all() as {
    id: string;
    district: string | null;
  }[];
  const bodies = (table: string) =>
    (db.prepare(`SELECT id, body FROM ${table}`).all() as { id: string; body: string }[]).map((r) => ({
      table,
      id: r.id,
      body: JSON.parse(r.body) as Json,
    }));
  const rules = [...bodies('slots'), ...bodies('quiet_windows'), ...bodies('airtime_policies')];
  const alerts = (
    db.prepare('SELECT id, targets_json FROM alerts').all() as { id: string; targets_json: string }[]
  ).map((r) => ({ id: r.id, targets: JSON.parse(r.targets_json) as OldTarget[] }));
  const alertRows = db.prepare('SELECT alert_id, station_id, district, ward FROM alert_stations').all() as {
    alert_id: string;
    station_id: string;
    district: string;
    ward: string;
  }[];

  const map = new LegacyMap();
  const targets = [...rules.map((r) => r.body.target as OldTarget), ...alerts.flatMap((a) => a.targets)];
  for (const s of stations) {
    map.districts.add(s.district);
    map.seeWard(s.ward, s.district, 1);
  }
  for (const r of alertRows) {
    map.districts.add(r.district);
    map.seeWard(r.ward, r.district, 0);
  }
  for (const u of users) {
    for (const d of JSON.parse(u.districts) as string[]) map.districts.add(d);
    if (u.ward) map.seeWard(u.ward, null, 0);
  }
  for (const c of campaigns) if (c.district) map.districts.add(c.district);
  for (const t of targets) {
    if (t.scope === 'district') map.districts.add(t.id as string);
    if (t.scope === 'ward') map.seeWard(t.id as string, null, 0);
  }
  map.settle();

  const hasData = stations.length > 0 || map.districts.size > 0 || map.wardSeen.size > 0;
  const levels = hasData ? LEGACY_LEVELS : DEFAULT_LEVELS;
  const addLevel = db.prepare('INSERT INTO area_levels (position, id, name) VALUES (?, ?, ?)');
  for (const [i, [id, name]] of levels.entries()) addLevel.run(i, id, name);
  if (!hasData) {
    db.exec(DROP_OLD);
    return;
  }
  const addArea = db.prepare(
    'INSERT INTO areas (id, parent_id, level, code, name, created_at) VALUES (?, ?, ?, NULL, ?, ?)',
  );
  const addVersion = db.prepare(
    'INSERT INTO area_history (area_id, valid_from, name, parent_id, level) VALUES (?, ?, ?, ?, ?)',
  );
  const area = (id: string, parent: string | null, level: string, name: string) => {
    addArea.run(id, parent, level, name, HISTORY_START);
    addVersion.run(id, HISTORY_START, name, parent, level);
  };
  area(map.root, null, 'city', 'Thành phố');
  for (const d of [...map.districts].sort()) area(d, map.root, 'district', d);
  for (const [id, district] of [...map.wardParent].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const oldWard = [...map.wardSeen.keys()].find((w) => map.wardAreas(w).includes(id)) ?? id;
    area(id, district ?? map.root, 'ward', oldWard);
  }

  const place = db.prepare('UPDATE stations SET area_id = ? WHERE id = ?');
  const history = db.prepare('INSERT INTO station_places (station_id, area_id, valid_from) VALUES (?, ?, ?)');
  for (const s of stations) {
    const id = map.place(s.district, s.ward);
    place.run(id, s.id);
    history.run(s.id, id, HISTORY_START);
  }
  const setAreas = db.prepare('UPDATE users SET areas = ? WHERE id = ?');
  for (const u of users) {
    // as before: ward staff act in their ward; anyone else with districts in those districts
    const areas =
      u.role === 'ward' ? (u.ward ? map.wardAreas(u.ward) : []) : (JSON.parse(u.districts) as string[]);
    setAreas.run(JSON.stringify(areas), u.id);
  }
  const setCampaign = db.prepare('UPDATE campaigns SET area_id = ? WHERE id = ?');
  for (const c of campaigns) setCampaign.run(c.district, c.id);
  for (const r of rules) {
    const body = { ...r.body, target: map.target(r.body.target as OldTarget) };
    db.prepare(`UPDATE ${r.table} SET body = ? WHERE id = ?`).run(JSON.stringify(body), r.id);
  }
  const setTargets = db.prepare('UPDATE alerts SET targets_json = ? WHERE id = ?');
  for (const a of alerts) setTargets.run(JSON.stringify(a.targets.map((t) => map.target(t))), a.id);
  const setAlertArea = db.prepare(
    'UPDATE alert_stations SET area_id = ? WHERE alert_id = ? AND station_id = ?',
  );
  for (const r of alertRows) setAlertArea.run(map.place(r.district, r.ward), r.alert_id, r.station_id);
  db.exec(DROP_OLD);
}
