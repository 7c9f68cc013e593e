// Who is asking: the roles of people, a station's own credential, and the area each role acts in.
import type { UserScope } from '../areas/scope.ts';

export type Role = 'admin' | 'technician' | 'reviewer' | 'ward' | 'viewer';
export type Principal =
  | { kind: 'user'; userId: number; username: string; role: Role; scope: UserScope }
  | { kind: 'station'; stationId: string };

/** Technicians act in their districts, ward staff in their ward; the others see the whole city. */
export function scopeOf(user: { role: Role; districts: string; ward: string | null }): UserScope {
  const districts = JSON.parse(user.districts) as string[];
  if (user.role === 'ward')
    return user.ward ? { kind: 'ward', ward: user.ward } : { kind: 'districts', ids: [] };
  if (user.role === 'technician' || districts.length > 0) return { kind: 'districts', ids: districts };
  return { kind: 'city' };
}

/** The person behind a principal, or null for a station or an unauthenticated call. */
export const userOf = (p: Principal | null) => (p?.kind === 'user' ? p : null);

/** The name changes are recorded under: the user's, or 'system'. */
export const actorName = (p: Principal | null) => userOf(p)?.username ?? 'system';
