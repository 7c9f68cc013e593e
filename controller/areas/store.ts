// Where things lie: the area of a station and of a target, read from the stations registered there.
import type { Target } from '../../schedules/model.ts';
import type { Db } from '../db.ts';
import { type Area, CITY } from './scope.ts';

/** A station's area; a station that no longer exists lies nowhere but the city. */
export function stationArea(db: Db, stationId: string): Area {
  const r = db.prepare('SELECT district, ward FROM stations WHERE id = ?').get(stationId) as Area | undefined;
  return r ?? CITY;
}

/** The area a target reaches. A ward is placed in the district of its stations. */
export function targetArea(db: Db, target: Target): Area {
  switch (target.scope) {
    case 'city':
      return CITY;
    case 'district':
      return { district: target.id, ward: null };
    case 'ward': {
      const r = db.prepare('SELECT district FROM stations WHERE ward = ? LIMIT 1').get(target.id) as
        | { district: string }
        | undefined;
      return { district: r?.district ?? null, ward: target.id };
    }
    case 'station':
      return stationArea(db, target.id);
  }
}

/** Whether a target names something that exists: a station, or an area with a station in it. */
export function targetExists(db: Db, target: Target): boolean {
  if (target.scope === 'city') return true;
  const column = target.scope === 'station' ? 'id' : target.scope;
  return !!db.prepare(`SELECT 1 FROM stations WHERE ${column} = ? LIMIT 1`).get(target.id);
}
