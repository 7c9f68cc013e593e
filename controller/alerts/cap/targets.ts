// CAP <area> and our targets, both ways: geocodes carry our area ids (LOA_AREA), station ids (LOA_STATION),
// zones (LOA_ZONE, "station/zone") or the national administrative unit code (MA_DVHC); an area without a
// geocode we know is matched by its areaDesc to one area's name, else its polygons and circles reach the
// stations whose last known position lies inside (mobile loudspeakers: fixed stations have none).
import type { Target, TreeTarget } from '../../../schedules/model.ts';
import { toTreeTarget } from '../../areas/legacy.ts';
import { areaByCode, findArea, loadTree } from '../../areas/tree.ts';
import type { Db } from '../../db.ts';
import type { CapArea } from './read.ts';
import { capRefusal } from './refusal.ts';
import { stationsInShapes } from './shapes.ts';

export const GEOCODES = {
  area: 'LOA_AREA',
  station: 'LOA_STATION',
  zone: 'LOA_ZONE',
  code: 'MA_DVHC',
} as const;

const stationName = (db: Db, id: string) =>
  (db.prepare('SELECT name FROM stations WHERE id = ?').get(id) as { name: string } | undefined)?.name;

const fold = (s: string) => s.normalize('NFC').trim().toLocaleLowerCase('vi');

/** The target one geocode names, null for a valueName we do not read; refused when it names nothing here. */
function geocodeTarget(db: Db, g: { valueName: string; value: string }, at: string): Target | null {
  const unknown = (what: string, vi: string) =>
    capRefusal(
      at,
      `${g.valueName} '${g.value}': no ${what} of that id here`,
      `${g.valueName} '${g.value}': không có ${vi} này`,
    );
  switch (g.valueName) {
    case GEOCODES.area: {
      const a = findArea(db, g.value);
      if (!a || a.retired_at) throw unknown('area', 'địa bàn');
      return { scope: 'area', id: a.id };
    }
    case GEOCODES.code: {
      const a = areaByCode(db, g.value);
      if (!a) throw unknown('area', 'địa bàn có mã đơn vị hành chính');
      return { scope: 'area', id: a.id };
    }
    case GEOCODES.station:
      if (!stationName(db, g.value)) throw unknown('station', 'đài');
      return { scope: 'station', id: g.value };
    case GEOCODES.zone: {
      const [station, zone, ...rest] = g.value.split('/');
      if (!station || !zone || rest.length) throw unknown('zone (station/zone)', 'cụm loa (đài/cụm)');
      return { scope: 'zone', station, zone };
    }
    default:
      return null;
  }
}

/** The targets of one info's areas; every area must name something of ours. */
export function targetsOfAreas(db: Db, areas: CapArea[]): Target[] {
  if (areas.length === 0)
    throw capRefusal(
      'alert/info/area',
      'required element missing: the alert must say where',
      'thiếu <area>: văn bản phải nói phát ở đâu',
    );
  const live = loadTree(db);
  return areas.flatMap((area, i) => {
    const at = `alert/info/area[${i + 1}]/geocode`;
    const coded = (area.geocode ?? []).flatMap((g) => geocodeTarget(db, g, at) ?? []);
    if (coded.length) return coded;
    const named = [...live.byId.values()].filter(
      (a) => !a.retired_at && fold(a.name) === fold(area.areaDesc),
    );
    if (named.length === 1 && named[0]) return [{ scope: 'area' as const, id: named[0].id }];
    const inside = stationsInShapes(db, area, `alert/info/area[${i + 1}]`);
    if (inside.length) return inside.map((id) => ({ scope: 'station' as const, id }));
    const shape = area.polygon?.length || area.circle?.length;
    throw capRefusal(
      `alert/info/area[${i + 1}]`,
      shape
        ? `'${area.areaDesc}': no station with a known position lies inside its polygon or circle (fixed stations have no position; only mobile loudspeakers report one): add a geocode ${GEOCODES.area} or ${GEOCODES.code}`
        : `'${area.areaDesc}' names no area here${named.length > 1 ? ' (several areas have that name)' : ''}: add a geocode ${GEOCODES.area}, ${GEOCODES.station} or ${GEOCODES.code}`,
      shape
        ? `'${area.areaDesc}': không có đài nào đã biết vị trí nằm trong đa giác hay hình tròn (đài cố định không có vị trí, chỉ loa di động báo vị trí): thêm geocode ${GEOCODES.area} hoặc ${GEOCODES.code}`
        : `'${area.areaDesc}' không khớp địa bàn nào${named.length > 1 ? ' (nhiều địa bàn trùng tên)' : ''}: thêm geocode ${GEOCODES.area}, ${GEOCODES.station} hoặc ${GEOCODES.code}`,
    );
  });
}

/** One <area> per target: its name, and geocodes of our id (and the national code of an area that has one). */
export function areaOfTarget(db: Db, target: Target) {
  const t: TreeTarget = toTreeTarget(db, target);
  if (t.scope === 'area') {
    const a = findArea(db, t.id);
    const geocode: { valueName: string; value: string }[] = [{ valueName: GEOCODES.area, value: t.id }];
    if (a?.code) geocode.push({ valueName: GEOCODES.code, value: a.code });
    return { areaDesc: a?.name ?? t.id, geocode };
  }
  if (t.scope === 'station')
    return {
      areaDesc: stationName(db, t.id) ?? t.id,
      geocode: [{ valueName: GEOCODES.station, value: t.id }],
    };
  return {
    areaDesc: `${stationName(db, t.station) ?? t.station}: ${t.zone}`,
    geocode: [{ valueName: GEOCODES.zone, value: `${t.station}/${t.zone}` }],
  };
}
