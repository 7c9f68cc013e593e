// CAP <polygon> and <circle> placed on the map: the stations whose last known position lies inside.
// Only mobile loudspeakers report a position (controller/mobile/); fixed stations have none.
import type { Db } from '../../db.ts';
import { type AreaGeometry, contains } from '../../mobile/geometry.ts';
import { allPositions } from '../../mobile/store.ts';
import type { CapArea } from './read.ts';
import { capRefusal } from './refusal.ts';

/** "lat,lon" in degrees; null when it is not a point on Earth. */
function point(text: string): { lat: number; lon: number } | null {
  const [lat, lon, ...rest] = text.split(',').map((n) => (n.trim() === '' ? Number.NaN : Number(n)));
  if (rest.length || lat === undefined || lon === undefined) return null;
  if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) return null;
  return { lat, lon };
}

/** The shapes of one area, as the mobile module's geometry (rings of [lon, lat], circles as places). */
function shapesOf(area: CapArea, at: string): AreaGeometry[] {
  const polygons = (area.polygon ?? []).map((text) => {
    const corners = text.trim().split(/\s+/).map(point);
    // CAP 1.2: at least four pairs, the first and last the same
    if (corners.length < 4 || corners.some((c) => !c))
      throw capRefusal(
        `${at}/polygon`,
        'is not four or more "lat,lon" pairs',
        'không phải bốn cặp "vĩ độ,kinh độ" trở lên',
      );
    return { polygon: corners.map((c) => [c?.lon, c?.lat] as [number, number]), places: [] };
  });
  const circles = (area.circle ?? []).map((text) => {
    const [centre, radius, ...rest] = text.trim().split(/\s+/);
    const c = centre ? point(centre) : null;
    const km = Number(radius);
    if (!c || rest.length || !Number.isFinite(km) || km < 0)
      throw capRefusal(
        `${at}/circle`,
        'is not "lat,lon radius-in-km"',
        'không có dạng "vĩ độ,kinh độ bán-kính-km"',
      );
    return { polygon: null, places: [{ name: area.areaDesc, ...c, radiusM: km * 1000 }] };
  });
  return [...polygons, ...circles];
}

/** The ids of the stations whose last position lies in one of the area's shapes (none without shapes). */
export function stationsInShapes(db: Db, area: CapArea, at: string): string[] {
  const shapes = shapesOf(area, at);
  if (shapes.length === 0) return [];
  return allPositions(db)
    .filter((p) => shapes.some((g) => contains(g, p)))
    .map((p) => p.station_id);
}
