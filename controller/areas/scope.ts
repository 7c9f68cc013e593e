// Areas and who may act in them: a user's scope (city, districts or one ward) against an object's area.

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

export function describeScope(scope: UserScope): string {
  if (scope.kind === 'city') return 'the whole city';
  if (scope.kind === 'districts') return `district(s) ${scope.ids.join(', ') || '(none)'}`;
  return `ward ${scope.ward}`;
}

/** An area in words, for a refusal: "ward p1", "district q1", "the whole city". */
export const describeArea = (area: Area): string =>
  area.ward ? `ward ${area.ward}` : area.district ? `district ${area.district}` : 'the whole city';
