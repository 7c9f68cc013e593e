// Tallies by area for reports: each entry or record counted under the area its station hung from at the
// time, named as it was named then (a rename or a merge inside the period gives a row for each).
import type { StationInfo } from '../../schedules/model.ts';
import type { Db } from '../db.ts';
import { type AreaVersion, type History, loadHistory } from './history.ts';

export interface AreaGroup {
  areaId: string;
  /** The name it had at the time. */
  name: string;
  level: string;
  code: string | null;
  /** Names from the root down to this area, as they were. */
  path: string[];
}

export interface AreaGroups<T> {
  /** The tally of the station's area at that instant (UTC ISO); undefined when outside the asked area. */
  at(station: Pick<StationInfo, 'id' | 'areaPath'>, instant: string): T | undefined;
  rows(): (AreaGroup & T)[];
}

export function areaGroups<T extends object>(
  db: Db,
  make: () => T,
  query: { area?: string; level?: string } = {},
  history: History = loadHistory(db),
): AreaGroups<T> {
  const groups = new Map<string, { group: AreaGroup; tally: T }>();
  return {
    at(station, instant) {
      const areaId = history.placeAt(station.id, instant) ?? station.areaPath.at(-1);
      const chain = areaId ? history.chainAt(areaId, instant) : [];
      if (chain.length === 0) return undefined;
      if (query.area && !chain.some((v) => v.area_id === query.area)) return undefined;
      const v =
        (query.level ? chain.find((x) => x.level === query.level) : undefined) ??
        (chain.at(-1) as AreaVersion);
      const key = `${v.area_id}\u0000${v.name}`;
      let g = groups.get(key);
      if (!g) {
        const path = chain.slice(0, chain.indexOf(v) + 1).map((x) => x.name);
        g = { group: { areaId: v.area_id, name: v.name, level: v.level, code: v.code, path }, tally: make() };
        groups.set(key, g);
      }
      return g.tally;
    },
    rows() {
      return [...groups.values()]
        .sort((a, b) => a.group.path.join('/').localeCompare(b.group.path.join('/'), 'vi'))
        .map((g) => ({ ...g.group, ...g.tally }));
    },
  };
}
