// Who is asking: the roles of people, a station's own credential, and the area each role acts in.
import type { UserScope } from '../areas/scope.ts';

export type Role = 'admin' | 'technician' | 'reviewer' | 'ward' | 'viewer';
export type Principal =
  | { kind: 'user'; userId: number; username: string; role: Role; scope: UserScope }
  | { kind: 'station'; stationId: string };

/**
 * Technicians and ward staff act in their areas (any level: a province, a commune, a village), and
 * nowhere without one; the others see everything unless given areas too.
 */
export function scopeOf(user: { role: Role; areas: string }): UserScope {
  const ids = JSON.parse(user.areas) as string[];
  if (user.role === 'technician' || user.role === 'ward' || ids.length > 0) return { kind: 'areas', ids };
  return { kind: 'all' };
}

/** The person behind a principal, or null for a station or an unauthenticated call. */
export const userOf = (p: Principal | null) => (p?.kind === 'user' ? p : null);

/** The name changes are recorded under: the user's, or 'system'. */
export const actorName = (p: Principal | null) => userOf(p)?.username ?? 'system';
