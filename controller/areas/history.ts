// What the areas were and where the stations hung at any past instant: versions of each area (name,
// parent, level, code) and the stations' places, so a report of the past names the areas as they were.
import type { Db } from '../db.ts';
import type { AreaRow } from './tree.ts';

export interface AreaVersion {
  area_id: string;
  valid_from: string;
  valid_to: string | null;
  name: string;
  parent_id: string | null;
  level: string;
  code: string | null;
}

/**
 * Ends the area's current version at `at` and starts one with its fields as they are now (a version
 * begun at the same instant is replaced: only the last state of an instant counts).
 */
export function newVersion(
  db: Db,
  a: Pick<AreaRow, 'id' | 'name' | 'parent_id' | 'level' | 'code'>,
  at: string,
) {
  db.prepare('DELETE FROM area_history WHERE area_id = ? AND valid_from = ?').run(a.id, at);
  db.prepare('UPDATE area_history SET valid_to = ? WHERE area_id = ? AND valid_to IS NULL').run(at, a.id);
  db.prepare(
    'INSERT INTO area_history (area_id, valid_from, name, parent_id, level, code) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(a.id, at, a.name, a.parent_id, a.level, a.code);
}

/** A correction (a typo in a name or code): the current version is fixed in place, not succeeded. */
export function correctVersion(db: Db, a: Pick<AreaRow, 'id' | 'name' | 'code'>): void {
  db.prepare('UPDATE area_history SET name = ?, code = ? WHERE area_id = ? AND valid_to IS NULL').run(
    a.name,
    a.code,
    a.id,
  );
}

/** Ends the area's last version (it was merged away or split). */
export const endVersions = (db: Db, areaId: string, at: string) =>
  db.prepare('UPDATE area_history SET valid_to = ? WHERE area_id = ? AND valid_to IS NULL').run(at, areaId);

/** The station hangs from `areaId` from `at` on (null: it was removed). */
export function placeStation(db: Db, stationId: string, areaId: string | null, at: string): void {
  const current = db
    .prepare('SELECT area_id, valid_from FROM station_places WHERE station_id = ? AND valid_to IS NULL')
    .get(stationId) as { area_id: string; valid_from: string } | undefined;
  if (current?.area_id === areaId) return;
  if (current?.valid_from === at) {
    // placed and moved within the same instant: only the last place counts
    db.prepare('DELETE FROM station_places WHERE station_id = ? AND valid_from = ?').run(stationId, at);
  } else {
    db.prepare('UPDATE station_places SET valid_to = ? WHERE station_id = ? AND valid_to IS NULL').run(
      at,
      stationId,
    );
  }
  if (areaId)
    db.prepare('INSERT INTO station_places (station_id, area_id, valid_from) VALUES (?, ?, ?)').run(
      stationId,
      areaId,
      at,
    );
}

interface Span<T> {
  from: string;
  to: string | null;
  value: T;
}
const at = <T>(spans: Span<T>[] | undefined, instant: string): T | undefined =>
  spans?.find((s) => s.from <= instant && (s.to === null || instant < s.to))?.value;

/** Every version and place, read once for a report. */
export class History {
  readonly #versions = new Map<string, Span<AreaVersion>[]>();
  readonly #places = new Map<string, Span<string>[]>();

  constructor(
    versions: AreaVersion[],
    places: { station_id: string; area_id: string; valid_from: string; valid_to: string | null }[],
  ) {
    for (const v of versions) {
      const list = this.#versions.get(v.area_id) ?? [];
      list.push({ from: v.valid_from, to: v.valid_to, value: v });
      this.#versions.set(v.area_id, list);
    }
    for (const p of places) {
      const list = this.#places.get(p.station_id) ?? [];
      list.push({ from: p.valid_from, to: p.valid_to, value: p.area_id });
      this.#places.set(p.station_id, list);
    }
  }

  /** The area a station hung from at that instant (UTC ISO), if it was registered. */
  placeAt(stationId: string, instant: string): string | undefined {
    return at(this.#places.get(stationId), instant);
  }

  /** The area as it was at that instant; before its first version, its first version. */
  areaAt(areaId: string, instant: string): AreaVersion | undefined {
    const spans = this.#versions.get(areaId);
    return (
      at(spans, instant) ??
      (spans && instant < (spans[0]?.from ?? '') ? spans[0]?.value : spans?.at(-1)?.value)
    );
  }

  /**
   * The instants in (from, to) at which the station's place changed, or the name, parent, level or code
   * of an area it hung under: a count by area is the same on either side of any other instant.
   */
  changesWithin(stationId: string, from: string, to: string): string[] {
    const out = new Set<string>();
    const seen = new Set<string>();
    const areas: string[] = [];
    for (const p of this.#places.get(stationId) ?? []) {
      for (const b of [p.from, p.to]) if (b && from < b && b < to) out.add(b);
      areas.push(p.value);
    }
    while (areas.length) {
      const id = areas.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const [i, v] of (this.#versions.get(id) ?? []).entries()) {
        // before its first version an area reads as its first version: its creation changes nothing
        for (const b of [i === 0 ? null : v.from, v.to]) if (b && from < b && b < to) out.add(b);
        if (v.value.parent_id) areas.push(v.value.parent_id);
      }
    }
    return [...out].sort();
  }

  /** The chain of versions from the root down to the area, as they were at that instant. */
  chainAt(areaId: string, instant: string): AreaVersion[] {
    const out: AreaVersion[] = [];
    for (let id: string | null = areaId; id && out.length < 64; ) {
      const v = this.areaAt(id, instant);
      if (!v) break;
      out.unshift(v);
      id = v.parent_id;
    }
    return out;
  }
}

export function loadHistory(db: Db): History {
  return new History(
    db.prepare('SELECT * FROM area_history ORDER BY area_id, valid_from').all() as AreaVersion[],
    db.prepare('SELECT * FROM station_places ORDER BY station_id, valid_from').all() as {
      station_id: string;
      area_id: string;
      valid_from: string;
      valid_to: string | null;
    }[],
  );
}
