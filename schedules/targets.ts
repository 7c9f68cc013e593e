// Which stations a slot, quiet window, policy or bulletin addresses: decided from the station's chain of
// areas (root to leaf), whatever the depth of the tree.
import type { StationInfo, Target } from './model.ts';

type Place = Pick<StationInfo, 'id' | 'areaPath' | 'district' | 'ward'>;

export function targetIncludes(target: Target, station: Place): boolean {
  switch (target.scope) {
    case 'area':
      return station.areaPath.includes(target.id);
    case 'station':
      return station.id === target.id;
    case 'zone':
      return station.id === target.station;
    // The version before the tree: a city, district or ward (its ids became area ids).
    case 'city':
      return true;
    case 'district':
      return station.district !== undefined
        ? station.district === target.id
        : station.areaPath.includes(target.id);
    case 'ward':
      return station.ward !== undefined ? station.ward === target.id : station.areaPath.includes(target.id);
  }
}

/** How specific a target is at a station that it reaches: its depth in the chain; a station is deepest. */
export function targetDepth(target: Target, station: Place): number {
  switch (target.scope) {
    case 'area':
      return station.areaPath.indexOf(target.id);
    case 'city':
      return 0;
    case 'district':
      return 1;
    case 'ward':
      return 2;
    case 'station':
    case 'zone':
      return Number.MAX_SAFE_INTEGER;
  }
}

/**
 * The loudspeaker clusters (the agent's relay lines) that an entry sent to these targets sounds on at a
 * station: null for all of them (some target reaches the whole station), else the zones named for it.
 */
export function zonesAt(targets: readonly Target[], station: Place): string[] | null {
  const zones = new Set<string>();
  for (const t of targets) {
    if (!targetIncludes(t, station)) continue;
    if (t.scope !== 'zone') return null;
    zones.add(t.zone);
  }
  return zones.size ? [...zones].sort() : null;
}

/** One key per distinct target, for removing repeats. */
export const targetKey = (t: Target): string =>
  t.scope === 'city' ? 'city' : t.scope === 'zone' ? `zone:${t.station}/${t.zone}` : `${t.scope}:${t.id}`;

/** Short English label for logs and previews, e.g. 'area q-ninh-kieu', 'zone st-1/cho'. */
export function describeTarget(target: Target): string {
  if (target.scope === 'city') return 'city';
  if (target.scope === 'zone') return `zone ${target.station}/${target.zone}`;
  return `${target.scope} ${target.id}`;
}
