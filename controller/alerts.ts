// /api/alerts: bulletins at the three levels of Circular 39/2020/TT-BTTTT, sent to the city, districts,
// wards or stations, followed per station, withdrawn by their sender.
import { z } from 'zod';
import { AlertCreate, prepareAlert, storeAlert } from './alerts/issue.ts';
import { publishAlert } from './alerts/publish.ts';
import {
  type AlertRow,
  type AlertStationRow,
  alertView,
  countStates,
  getAlertRow,
  STATION_STATES,
  type StateCounts,
  statusOf,
  targetsOf,
} from './alerts/store.ts';
import type { Principal } from './auth.ts';
import type { ControllerDeps } from './deps.ts';
import { conflict, forbidden } from './errors.ts';
import { type AnyRoute, defineRoute } from './routes.ts';
import { targetArea, type UserScope } from './scope.ts';

const ListQuery = z.strictObject({
  status: z.enum(['active', 'cancelled', 'expired']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const CancelBody = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });

/** SQL limiting alert_stations rows to a person's area. */
function scopeSql(scope: UserScope | null): { sql: string; args: string[] } {
  if (!scope || scope.kind === 'city') return { sql: '1 = 1', args: [] };
  if (scope.kind === 'ward') return { sql: 'a.ward = ?', args: [scope.ward] };
  if (scope.ids.length === 0) return { sql: '0 = 1', args: [] };
  return { sql: `a.district IN (${scope.ids.map(() => '?').join(', ')})`, args: scope.ids };
}

const userOf = (p: Principal | null) => (p?.kind === 'user' ? p : null);

export function alertRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock, bus, log } = deps;
  const id = (params: Record<string, string>) => params.id as string;

  /** The target stations a person sees (their area's), with name and presence. */
  const stationsIn = (alertId: string, scope: UserScope | null) => {
    const s = scopeSql(scope);
    return db
      .prepare(
        `SELECT a.*, st.name, st.online FROM alert_stations a LEFT JOIN stations st ON st.id = a.station_id
         WHERE a.alert_id = ? AND ${s.sql} ORDER BY a.district, a.ward, a.station_id`,
      )
      .all(alertId, ...s.args) as (AlertStationRow & { name: string | null; online: number | null })[];
  };
  /** Target stations per state, of a person's area. */
  const countsIn = (alertId: string, scope: UserScope | null) => {
    const s = scopeSql(scope);
    const rows = db
      .prepare(
        `SELECT a.state, COUNT(*) AS n FROM alert_stations a WHERE a.alert_id = ? AND ${s.sql} GROUP BY a.state`,
      )
      .all(alertId, ...s.args) as { state: AlertStationRow['state']; n: number }[];
    return countStates(rows);
  };
  /** An alert is seen by whoever sent it and by people with a target station in their area. */
  const visible = (r: AlertRow, principal: Principal | null, counts: StateCounts) => {
    const who = userOf(principal);
    const reached = Object.values(counts).some((n) => n > 0);
    return !who || who.scope.kind === 'city' || r.issued_by === who.username || reached;
  };

  return [
    defineRoute({
      method: 'get',
      path: '/api/alerts',
      tag: 'alerts',
      summary:
        'Bulletins, newest first, with counts of target stations per state (those of your area); filter by status',
      access: 'user',
      query: ListQuery,
      handle: ({ query, principal }) => {
        const now = clock.now();
        const at = now.toISOString();
        const where =
          query.status === 'active'
            ? 'WHERE cancelled_at IS NULL AND expires_at > @at'
            : query.status === 'cancelled'
              ? 'WHERE cancelled_at IS NOT NULL'
              : query.status === 'expired'
                ? 'WHERE cancelled_at IS NULL AND expires_at <= @at'
                : '';
        const rows = db
          .prepare(`SELECT * FROM alerts ${where} ORDER BY issued_at DESC, id DESC`)
          .all(query.status ? { at } : {}) as AlertRow[];
        const out = [];
        for (const r of rows) {
          if (out.length >= query.limit) break;
          const counts = countsIn(r.id, userOf(principal)?.scope ?? null);
          if (visible(r, principal, counts)) out.push(alertView(r, counts, now));
        }
        return { json: out };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/alerts',
      tag: 'alerts',
      summary:
        'Send a bulletin (normal, priority, emergency) to targets: published at once, retained, one message per ' +
        'target. normal/priority need an approved clip; emergency also takes a processed draft (upload with ' +
        'POST /api/clips?wait=true first). Technicians within their districts; ward staff normal bulletins to their ward.',
      access: 'user',
      roles: ['technician', 'ward'],
      body: AlertCreate,
      responses: {
        201: 'sent: the bulletin with its target station count',
        400: 'a target reaching no station, an unknown or unapproved clip, a bad expiry, ignoreQuietWindows on a non-emergency',
        403: 'a target outside your area, or a level your role may not send',
      },
      area: ({ body }) => body.targets.map((t) => targetArea(db, t)),
      handle: ({ body, principal }) => {
        const now = clock.now();
        const prepared = prepareAlert(db, body, principal, now);
        const row = storeAlert(db, body, prepared, userOf(principal)?.username ?? 'system', now);
        if (bus) publishAlert(bus, row);
        log.info(
          `alert ${row.id} (${row.level}) to ${prepared.stations.length} station(s) by ${row.issued_by}` +
            (body.ignoreQuietWindows ? ', ignoring quiet windows' : ''),
        );
        return { status: 201, json: alertView(row, countsIn(row.id, null), now) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/alerts/:id',
      tag: 'alerts',
      summary:
        'One bulletin with every target station of your area: {stationId, name, district, ward, state, at, ' +
        'reason, detail, online}, and counts per state',
      access: 'user',
      handle: ({ params, principal }) => {
        const r = getAlertRow(db, id(params));
        const rows = stationsIn(r.id, userOf(principal)?.scope ?? null);
        const counts = countStates(rows);
        if (!visible(r, principal, counts))
          throw forbidden(`alert '${r.id}' reaches no station in your area`);
        return {
          json: {
            ...alertView(r, counts, clock.now()),
            states: STATION_STATES,
            stations: rows.map((s) => ({
              stationId: s.station_id,
              name: s.name ?? s.station_id,
              district: s.district,
              ward: s.ward,
              state: s.state,
              at: s.at,
              reason: s.reason,
              detail: s.detail,
              online: s.online === 1,
            })),
          },
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/alerts/:id/cancel',
      tag: 'alerts',
      summary:
        'Withdraw a bulletin: published again with cancelledAt (stations stop it or do not play it), cleared at expiry',
      access: 'user',
      roles: ['technician', 'ward'],
      body: CancelBody,
      bodyOptional: true,
      responses: { 409: 'already cancelled or expired' },
      area: ({ params }) => targetsOf(getAlertRow(db, id(params))).map((t) => targetArea(db, t)),
      handle: ({ params, body, principal }) => {
        const now = clock.now();
        const r = getAlertRow(db, id(params));
        const who = userOf(principal);
        if (who?.role === 'ward' && r.issued_by !== who.username)
          throw forbidden('ward staff may withdraw only the bulletins they sent');
        const status = statusOf(r, now);
        if (status !== 'active') throw conflict(`alert '${r.id}' is already ${status}`);
        db.prepare(
          'UPDATE alerts SET cancelled_at = ?, cancelled_by = ?, cancel_reason = ? WHERE id = ?',
        ).run(now.toISOString(), who?.username ?? 'system', body?.reason ?? null, r.id);
        const row = getAlertRow(db, r.id);
        if (bus) publishAlert(bus, row);
        log.info(`alert ${r.id} cancelled by ${row.cancelled_by}`);
        return { json: alertView(row, countsIn(r.id, null), now) };
      },
    }),
  ];
}
