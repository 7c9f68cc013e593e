// Where an area lies on the map, for mobile loudspeakers: an outline (a ring of [lon, lat], as GeoJSON) or
// named places with a radius; and which area, the deepest, a point lies in.
import pointInPolygon from 'point-in-polygon-hao';
import { z } from 'zod';
import { type AreaTree, loadTree } from '../areas/tree.ts';
import type { Db } from '../db.ts';
import { badRequest } from '../http/errors.ts';

const Lon = z.number().min(-180, 'longitude below -180').max(180, 'longitude above 180');
const Lat = z.number().min(-90, 'latitude below -90').max(90, 'latitude above 90');

/** One corner: [longitude, latitude] in degrees (GeoJSON order). */
const Corner = z.tuple([Lon, Lat]);

const Place = z.strictObject({
  name: z.string().trim().min(1).max(200),
  lat: Lat,
  lon: Lon,
  /** Metres around the place that count as being there. */
  radiusM: z.number().min(1).max(50_000),
});
export type Place = z.infer<typeof Place>;

export const AreaGeometry = z
  .strictObject({
    /** The outline, closed or not; at least three distinct corners. Null: none. */
    polygon: z.array(Corner).max(10_000).nullable().default(null),
    places: z.array(Place).max(500).default([]),
  })
  .superRefine((g, ctx) => {
    if (!g.polygon) return;
    const distinct = new Set(g.polygon.map(([lon, lat]) => `${lon},${lat}`)).size;
    if (distinct < 3)
      ctx.addIssue({
        code: 'custom',
        path: ['polygon'],
        message: `an outline needs at least 3 distinct corners [lon, lat]; it has ${distinct}`,
      });
  });
export type AreaGeometry = z.infer<typeof AreaGeometry>;

/** The ring closed, as GeoJSON wants it. */
const closed = (ring: [number, number][]) => {
  const [first, last] = [ring[0], ring.at(-1)];
  return first && last && (first[0] !== last[0] || first[1] !== last[1]) ? [...ring, first] : ring;
};

const EARTH_M = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
export function distanceM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const h =
    Math.sin(rad(b.lat - a.lat) / 2) ** 2 +
    Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lon - a.lon) / 2) ** 2;
  return 2 * EARTH_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The outline's bounding box: most points are outside it, and it is cheap to ask first. */
type Box = { w: number; s: number; e: number; n: number };
const boxOf = (ring: [number, number][]): Box =>
  ring.reduce(
    (b, [lon, lat]) => ({
      w: Math.min(b.w, lon),
      s: Math.min(b.s, lat),
      e: Math.max(b.e, lon),
      n: Math.max(b.n, lat),
    }),
    { w: 180, s: 90, e: -180, n: -90 },
  );

/** Whether the point lies inside the outline (its edge counts) or within a place's radius. */
export function contains(
  g: AreaGeometry,
  p: { lat: number; lon: number },
  box: Box | null = g.polygon && boxOf(g.polygon),
): boolean {
  const inBox = box !== null && p.lon >= box.w && p.lon <= box.e && p.lat >= box.s && p.lat <= box.n;
  if (g.polygon && inBox && pointInPolygon([p.lon, p.lat], [closed(g.polygon)]) !== false) return true;
  return g.places.some((pl) => distanceM(pl, p) <= pl.radiusM);
}

interface GeometryRow {
  area_id: string;
  polygon: string | null;
  places: string;
}

const parseRow = (r: GeometryRow): AreaGeometry => ({
  polygon: r.polygon ? (JSON.parse(r.polygon) as [number, number][]) : null,
  places: JSON.parse(r.places) as Place[],
});

export function getGeometry(db: Db, areaId: string): AreaGeometry | null {
  const r = db.prepare('SELECT * FROM area_geometry WHERE area_id = ?').get(areaId) as
    | GeometryRow
    | undefined;
  return r ? parseRow(r) : null;
}

/** Stores (or, with neither outline nor places, removes) an area's geometry; a retired area has none. */
export function setGeometry(db: Db, tree: AreaTree, areaId: string, g: AreaGeometry, now: Date): void {
  if (tree.byId.get(areaId)?.retired_at)
    throw badRequest([
      `area '${tree.name(areaId)}' was merged or split: draw the area that replaced it`,
      `${tree.name(areaId)} đã được sáp nhập hoặc chia tách: hãy vẽ ranh giới cho địa bàn mới thay thế.`,
    ]);
  parsed.delete(db);
  if (!g.polygon && g.places.length === 0) {
    db.prepare('DELETE FROM area_geometry WHERE area_id = ?').run(areaId);
    return;
  }
  db.prepare(
    `INSERT INTO area_geometry (area_id, polygon, places, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(area_id) DO UPDATE SET polygon = excluded.polygon, places = excluded.places,
       updated_at = excluded.updated_at`,
  ).run(areaId, g.polygon ? JSON.stringify(g.polygon) : null, JSON.stringify(g.places), now.toISOString());
}

/**
 * The deepest live area drawn on the map that holds the point, or null (outside every drawn area). An area
 * drawn inside another (a hamlet in its commune) wins over it; among areas of one depth, the first by id.
 */
export function locate(
  db: Db,
  p: { lat: number; lon: number },
  tree: AreaTree = loadTree(db),
): string | null {
  let best: { id: string; depth: number } | null = null;
  for (const { areaId, g, box } of drawings(db)) {
    const area = tree.byId.get(areaId);
    if (!area || area.retired_at || !contains(g, p, box)) continue;
    const depth = tree.chain(areaId).length;
    if (!best || depth > best.depth) best = { id: areaId, depth };
  }
  return best?.id ?? null;
}

/**
 * The drawings parsed once per database and kept until `setGeometry` changes one: every position is
 * located against all of them, and a province's outlines are large. (A removed area takes its drawing
 * with it; `locate` skips areas no longer live.)
 */
const parsed = new WeakMap<Db, { areaId: string; g: AreaGeometry; box: Box | null }[]>();

function drawings(db: Db) {
  const known = parsed.get(db);
  if (known) return known;
  const rows = db.prepare('SELECT * FROM area_geometry ORDER BY area_id').all() as GeometryRow[];
  const fresh = rows.map((r) => {
    const g = parseRow(r);
    return { areaId: r.area_id, g, box: g.polygon && boxOf(g.polygon) };
  });
  parsed.set(db, fresh);
  return fresh;
}
