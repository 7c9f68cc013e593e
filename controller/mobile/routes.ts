// /api/mobile (where the mobile loudspeakers are) and /api/areas/:id/geometry (where an area lies on the map).

import { areaPlace } from '../areas/store.ts';
import { getAreaRow, loadTree } from '../areas/tree.ts';
import type { ControllerDeps } from '../deps.ts';
import { type AnyRoute, areaById, defineRoute, idParam } from '../http/route.ts';
import { mobileOver, relocateAll } from './deliver.ts';
import { AreaGeometry, getGeometry, setGeometry } from './geometry.ts';
import { allPositions } from './store.ts';

export interface MobileView {
  stationId: string;
  name: string;
  online: boolean;
  /** The chain of the area it hangs from, root first. */
  homePath: string[];
  /** The deepest drawn area it is inside, with its chain of names; null: outside every drawn area. */
  area: { id: string; name: string; path: string[]; names: string[] } | null;
  lat: number;
  lon: number;
  accuracyM: number | null;
  fixAt: string;
  lastSeen: string;
}

function mobileViews(deps: ControllerDeps): MobileView[] {
  const { db } = deps;
  const tree = loadTree(db);
  const station = db.prepare('SELECT name, online, area_id FROM stations WHERE id = ?');
  return allPositions(db).map((p) => {
    const st = station.get(p.station_id) as { name: string; online: number; area_id: string | null };
    const path = p.area_id ? tree.chain(p.area_id) : [];
    return {
      stationId: p.station_id,
      name: st.name,
      online: st.online === 1,
      homePath: st.area_id ? tree.chain(st.area_id) : [],
      area: p.area_id
        ? { id: p.area_id, name: tree.name(p.area_id), path, names: path.map((id) => tree.name(id)) }
        : null,
      lat: p.lat,
      lon: p.lon,
      accuracyM: p.accuracy_m,
      fixAt: p.fix_at,
      lastSeen: p.received_at,
    };
  });
}

export function mobileRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock, log } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/api/mobile',
      tag: 'mobile',
      summary:
        'Mobile loudspeakers: the last position each reported, the drawn area it is inside and when it was last ' +
        'heard (those whose home or present area is in your areas)',
      access: 'user',
      // Seen by the people of its home area and of the area it is in now.
      itemArea: (m: MobileView) => ({ path: [...m.homePath, ...(m.area?.path ?? [])], name: m.name }),
      handle: () => ({ json: mobileViews(deps) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/areas/:id/geometry',
      tag: 'mobile',
      summary:
        'Where an area lies on the map: its outline ([lon, lat] corners) and named places with a radius',
      access: 'user',
      handle: ({ params }) => {
        const id = getAreaRow(db, idParam(params)).id;
        return { json: { areaId: id, ...(getGeometry(db, id) ?? { polygon: null, places: [] }) } };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/areas/:id/geometry',
      tag: 'mobile',
      summary:
        'Draw an area for mobile loudspeakers: an outline of at least 3 corners [lon, lat] and/or named places ' +
        'with a radius in metres (neither: removes it); every mobile unit is located again at once',
      access: 'user',
      roles: ['technician'],
      body: AreaGeometry,
      area: areaById((id) => [areaPlace(db, getAreaRow(db, id).id)]),
      responses: { 400: 'an outline of fewer than 3 corners, a coordinate out of range, a retired area' },
      handle: ({ params, body }) => {
        const id = getAreaRow(db, idParam(params)).id;
        const now = clock.now();
        setGeometry(db, loadTree(db), id, body, now);
        const bus = deps.bus;
        if (bus) relocateAll(mobileOver(db, log, bus), now);
        return { json: { areaId: id, ...(getGeometry(db, id) ?? { polygon: null, places: [] }) } };
      },
    }),
  ];
}
