// Areas and who may act in them: a user's scope (city, districts or one ward) against an object's area.
import type { Target } from '../schedules/model.ts';
import type { Db } from './db.ts';

/** Where an object lies: district null means the whole city; ward null means the whole district. */
export interface Area {
  district: string | null;
  ward: string | null;
}

export type UserScope =
  | { kind: 'city' }
  | { kind: 'districts'; ids: string[] }
  | { kind: 'ward'; ward: string };

export const CITY: Area = { district: null, ward: null };

export function covers(scope: UserScope, area: Area): boolean {
  switch (scope.kind) {
    case 'city':
      return true;
    case 'districts':
      return area.district !== null && scope.ids.includes(area.district);
    case 'ward':
      return area.ward !== null && area.ward === scope.ward;
  }
}

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

export function describeScope(scope: UserScope): string {
  if (scope.kind === 'city') return 'the whole city';
  if (scope.kind === 'districts') return `district(s) ${scope.ids.join(', ') || '(none)'}`;
  return `ward ${scope.ward}`;
}
