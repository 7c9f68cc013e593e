// Which stations a slot or quiet window addresses: the whole city, a district, a ward or one station.
import type { StationInfo, Target } from './model.ts';

export function targetIncludes(target: Target, station: StationInfo): boolean {
  switch (target.scope) {
    case 'city':
      return true;
    case 'district':
      return station.district === target.id;
    case 'ward':
      return station.ward === target.id;
    case 'station':
      return station.id === target.id;
  }
}

/** Short English label for logs and previews, e.g. 'district q-ninh-kieu'. */
export function describeTarget(target: Target): string {
  return target.scope === 'city' ? 'city' : `${target.scope} ${target.id}`;
}
