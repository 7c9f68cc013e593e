// Areas and who may act in them: a user's scope (a set of areas at any level, or everything) against the
// place of an object (its chain of areas, root first).

/**
 * Where an object lies: the chain of area ids from the root to the area it is in (a station's area, a
 * target's area, a campaign's area). An empty path is nowhere known: only an unrestricted user covers it.
 */
export interface Area {
  path: string[];
  /** The area's name, for a refusal's words. */
  name: string;
}

export type UserScope = { kind: 'all' } | { kind: 'areas'; ids: string[] };

export const NOWHERE: Area = { path: [], name: 'an unknown place' };

/** Whether the area lies in or under one of the scope's areas. */
export function covers(scope: UserScope, area: Area): boolean {
  return scope.kind === 'all' || area.path.some((id) => scope.ids.includes(id));
}

export function describeScope(scope: UserScope): string {
  if (scope.kind === 'all') return 'every area';
  return scope.ids.length ? `area(s) ${scope.ids.join(', ')}` : 'no area';
}

/** An area in words, for a refusal: its name. */
export const describeArea = (area: Area): string => area.name;
