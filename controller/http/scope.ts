// Area scope checks of a request: the areas it touches, and the items of a list, against the user's scope.
import { type Area, covers, describeArea, describeScope } from '../areas/scope.ts';
import type { Principal } from '../users/roles.ts';
import { forbidden } from './errors.ts';

/** Refuses (403) a user's request that touches an area outside their scope. */
export function checkAreas(principal: Principal | null, areas: Area[]): void {
  if (principal?.kind !== 'user') return;
  const outside = areas.find((a) => !covers(principal.scope, a));
  if (outside) {
    throw forbidden([
      `${describeArea(outside)} is outside your area (${describeScope(principal.scope)})`,
      `${outside.path.length ? outside.name : 'Nơi này'} nằm ngoài địa bàn bạn phụ trách.`,
    ]);
  }
}

/** The items of a list answer that lie in the user's scope (all of them for anyone else). */
export function itemsInScope(principal: Principal | null, items: unknown[], areaOf: (item: unknown) => Area) {
  if (principal?.kind !== 'user' || principal.scope.kind === 'all') return items;
  return items.filter((item) => covers(principal.scope, areaOf(item)));
}

/** Whether a principal may see something in this area: a user in scope, or anyone who is not a user. */
export const sees = (principal: Principal | null, area: Area): boolean =>
  principal?.kind !== 'user' || covers(principal.scope, area);
